package dev.compliance.streams;

import dev.compliance.topics.Topics;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The topology's own settings (compliance.*) and the serde settings (schema.registry.url and the rest
 * of Confluent's names), read from one map.
 */
public record ComplianceConfig(Map<String, Object> serdeConfig, String pseudonymSecret, Duration expiryCheckInterval,
                               Duration rollupGrace, Duration policyHistory, Duration ledgerHistory) {

    public static final String PSEUDONYM_SECRET = "compliance.pseudonym.secret";
    public static final String EXPIRY_CHECK_INTERVAL_MS = "compliance.retention.check.interval.ms";
    public static final String ROLLUP_GRACE_DAYS = "compliance.rollup.grace.days";
    public static final String POLICY_HISTORY_DAYS = "compliance.policy.history.days";
    /** How far back the query stores answer "as of" a day (the retention topic keeps 400 days). */
    public static final String LEDGER_HISTORY_DAYS = "compliance.ledger.history.days";

    public static ComplianceConfig from(Map<String, ?> config) {
        Map<String, Object> serde = new HashMap<>();
        config.forEach((k, v) -> {
            if (!k.startsWith("compliance.")) {
                serde.put(k, v);
            }
        });
        if (!serde.containsKey("schema.registry.url")) {
            throw new ConfigException("schema.registry.url is required (for example http://localhost:8081)");
        }
        Object secret = config.get(PSEUDONYM_SECRET);
        if (secret == null || secret.toString().length() < 16) {
            throw new ConfigException(PSEUDONYM_SECRET + " is required: a secret of at least 16 characters used to pseudonymize user ids on analytics topics");
        }
        return new ComplianceConfig(serde, secret.toString(),
                Duration.ofMillis(number(config, EXPIRY_CHECK_INTERVAL_MS, 60_000)),
                Duration.ofDays(number(config, ROLLUP_GRACE_DAYS, 7)),
                Duration.ofDays(number(config, POLICY_HISTORY_DAYS, Topics.POLICY_HISTORY.toDays())),
                Duration.ofDays(number(config, LEDGER_HISTORY_DAYS, 400)));
    }

    private static long number(Map<String, ?> config, String key, long fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.toString().trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a positive whole number, got '" + v + "'");
        }
    }
}

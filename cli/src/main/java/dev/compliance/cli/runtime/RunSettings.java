package dev.compliance.cli.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of {@code compliance run}, merged from four layers; a higher layer wins:
 * <ol>
 *   <li>command-line flags ({@code --bootstrap-servers ...}),</li>
 *   <li>the properties file given with {@code --config FILE} (any Kafka Streams, client, serde or
 *       {@code compliance.*} property),</li>
 *   <li>environment variables ({@code COMPLIANCE_BOOTSTRAP_SERVERS}, ...; only the settings of {@link #SETTINGS}),</li>
 *   <li>the defaults of {@link #SETTINGS}.</li>
 * </ol>
 * Secrets (the pseudonym secret, passwords) have no flag: a command line is visible to every user of
 * the machine.
 */
public final class RunSettings {

    /** Where a value came from. */
    public enum Source { FLAG, FILE, ENVIRONMENT, DEFAULT }

    /** One documented setting. {@code flag} is null when the setting has no command-line flag. */
    public record Setting(String property, String flag, String defaultValue, boolean secret, String description) {

        /** The environment variable: COMPLIANCE_ + the property without a leading "compliance.", upper-case, '.' and '-' as '_'. */
        public String environmentVariable() {
            String name = property.startsWith("compliance.") ? property.substring("compliance.".length()) : property;
            return "COMPLIANCE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String APPLICATION_ID = "application.id";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String STATE_DIR = "state.dir";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String PSEUDONYM_SECRET = "compliance.pseudonym.secret";
    public static final String HEALTH_HOST = "compliance.health.host";
    public static final String HEALTH_PORT = "compliance.health.port";
    public static final String HEALTH_STALL_MS = "compliance.health.stall.ms";
    /** Two minutes: a rebalance with restoration takes seconds here; the stall it guards against never ended. */
    public static final String HEALTH_STALL_MS_DEFAULT = "120000";
    public static final String CREATE_TOPICS = "compliance.topics.create";
    public static final String PUBLISH_CATALOG = "compliance.catalog.publish";

    /** Every setting with a flag, an environment variable or a default; other properties go in the --config file. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting(BOOTSTRAP_SERVERS, "--bootstrap-servers", "localhost:9092", false,
                    "Kafka brokers to connect to"),
            new Setting(SCHEMA_REGISTRY_URL, "--schema-registry-url", "http://localhost:8081", false,
                    "Confluent-API schema registry (Confluent, Apicurio /apis/ccompat/v7, Karapace...)"),
            new Setting("basic.auth.credentials.source", null, null, false,
                    "USER_INFO to send registry credentials"),
            new Setting("basic.auth.user.info", null, null, true,
                    "registry credentials, user:password"),
            new Setting("security.protocol", null, null, false,
                    "Kafka security protocol (PLAINTEXT, SSL, SASL_SSL, ...); client default PLAINTEXT"),
            new Setting("sasl.mechanism", null, null, false,
                    "SASL mechanism (PLAIN, SCRAM-SHA-512, ...)"),
            new Setting("sasl.jaas.config", null, null, true,
                    "SASL login module and credentials"),
            new Setting(APPLICATION_ID, "--application-id", "claude-compliance", false,
                    "Kafka Streams application id: consumer group, internal topic prefix"),
            new Setting(NUM_STREAM_THREADS, "--threads", "1", false,
                    "Kafka Streams processing threads"),
            new Setting(STATE_DIR, "--state-dir", null, false,
                    "local state directory; Kafka Streams default: <java.io.tmpdir>/kafka-streams"),
            new Setting(REPLICATION_FACTOR, "--replication-factor", null, false,
                    "replication factor of created topics and internal topics; default min(3, brokers)"),
            new Setting(CREATE_TOPICS, null, "true", false,
                    "create missing topics at start (existing ones are always checked)"),
            new Setting(PUBLISH_CATALOG, "--publish-catalog", "false", false,
                    "publish the bundled policy catalog at start (it is always published when compliance.catalog is empty)"),
            new Setting(PSEUDONYM_SECRET, null, null, true,
                    "required, at least 16 characters: key that pseudonymizes user ids on analytics topics"),
            new Setting("compliance.retention.check.interval.ms", null, "60000", false,
                    "how often the retention ledger looks for expired content"),
            new Setting("compliance.rollup.grace.days", null, "7", false,
                    "how late an event may arrive and still count in its daily rollup"),
            new Setting("compliance.policy.history.days", null, "3650", false,
                    "how long past versions of org policies are kept for late events"),
            new Setting("compliance.ledger.history.days", null, "400", false,
                    "how far back the API answers retention \"as of\" a day and keeps violation counts"),
            new Setting(HEALTH_HOST, "--health-host", "127.0.0.1", false,
                    "address of the /health, /metrics, /api and console endpoint (0.0.0.0 in a container)"),
            new Setting("compliance.api.token", null, null, true,
                    "when set, every /api call needs Authorization: Bearer <token>"),
            new Setting("application.server", null, null, false,
                    "host:port at which the other instances reach this one's endpoint; needed with several instances"),
            new Setting(HEALTH_PORT, "--health-port", "8080", false,
                    "port of the /health and /metrics endpoint; 0 picks a free port"),
            new Setting(HEALTH_STALL_MS, "--health-stall-ms", HEALTH_STALL_MS_DEFAULT, false,
                    "/health answers 503 when the app is REBALANCING, or lags without progress, longer than this"));

    private final Map<String, String> values;
    private final Map<String, Source> sources;

    private RunSettings(Map<String, String> values, Map<String, Source> sources) {
        this.values = values;
        this.sources = sources;
    }

    /**
     * Merges the layers.
     *
     * @param flags      values given on the command line, by property name (absent flags left out)
     * @param configFile the --config file, if one was given
     * @param env        the environment ({@code System.getenv()})
     * @throws ConfigException with a one-line message if the file cannot be read or a value is malformed
     */
    public static RunSettings resolve(Map<String, String> flags, Optional<Path> configFile, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        Map<String, Source> sources = new TreeMap<>();
        for (Setting setting : SETTINGS) {
            if (setting.defaultValue() != null) {
                values.put(setting.property(), setting.defaultValue());
                sources.put(setting.property(), Source.DEFAULT);
            }
        }
        for (Setting setting : SETTINGS) {
            String value = env.get(setting.environmentVariable());
            if (value != null && !value.isBlank()) {
                values.put(setting.property(), value.trim());
                sources.put(setting.property(), Source.ENVIRONMENT);
            }
        }
        configFile.ifPresent(path -> readFile(path).forEach((key, value) -> {
            values.put(key, value);
            sources.put(key, Source.FILE);
        }));
        flags.forEach((key, value) -> {
            values.put(key, value);
            sources.put(key, Source.FLAG);
        });
        RunSettings settings = new RunSettings(values, sources);
        settings.validate();
        return settings;
    }

    /** Every resolved property (the map Kafka Streams, the serde and the topology are configured with). */
    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> get(String property) {
        return Optional.ofNullable(values.get(property));
    }

    public String bootstrapServers() {
        return values.get(BOOTSTRAP_SERVERS);
    }

    public String healthHost() {
        return values.get(HEALTH_HOST);
    }

    public long healthStallMs() {
        return Long.parseLong(values.get(HEALTH_STALL_MS));
    }

    public int healthPort() {
        return Integer.parseInt(values.get(HEALTH_PORT));
    }

    public boolean createTopics() {
        return Boolean.parseBoolean(values.get(CREATE_TOPICS));
    }

    public boolean publishCatalog() {
        return Boolean.parseBoolean(values.get(PUBLISH_CATALOG));
    }

    /** The replication factor asked for, if any (otherwise min(3, brokers)). */
    public Optional<Short> replicationFactor() {
        return get(REPLICATION_FACTOR).map(Short::parseShort);
    }

    /** One line per setting: {@code property = value (source)}, secrets masked, for the start-up banner. */
    public List<String> describe() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + " = " + (isSecret(e.getKey()) ? "********" : e.getValue())
                        + " (" + sources.get(e.getKey()).name().toLowerCase(Locale.ROOT) + ")")
                .toList();
    }

    private static boolean isSecret(String property) {
        boolean declared = SETTINGS.stream().anyMatch(s -> s.secret() && s.property().equals(property));
        String lower = property.toLowerCase(Locale.ROOT);
        return declared || lower.contains("password") || lower.contains("secret") || lower.contains("jaas");
    }

    private void validate() {
        if (values.get(BOOTSTRAP_SERVERS).isBlank()) {
            throw new ConfigException(BOOTSTRAP_SERVERS + " must not be empty (for example localhost:9092)");
        }
        wholeNumber(HEALTH_PORT, 0, 65_535);
        wholeNumber(HEALTH_STALL_MS, 1_000, Integer.MAX_VALUE);
        wholeNumber(NUM_STREAM_THREADS, 1, 64);
        if (values.containsKey(REPLICATION_FACTOR)) {
            wholeNumber(REPLICATION_FACTOR, 1, Short.MAX_VALUE);
        }
        trueOrFalse(CREATE_TOPICS);
        trueOrFalse(PUBLISH_CATALOG);
    }

    private void trueOrFalse(String property) {
        String value = values.get(property).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(property + " must be true or false, got '" + values.get(property) + "'");
        }
        values.put(property, value);
    }

    private void wholeNumber(String property, int min, int max) {
        String value = values.get(property);
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            values.put(property, String.valueOf(n));
        } catch (NumberFormatException e) {
            throw new ConfigException(property + " must be a whole number from " + min + " to " + max
                    + ", got '" + value + "' (" + sources.get(property).name().toLowerCase(Locale.ROOT) + ")");
        }
    }

    private static Map<String, String> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + path + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key.trim(), properties.getProperty(key).trim()));
        return values;
    }
}

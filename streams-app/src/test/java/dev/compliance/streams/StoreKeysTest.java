package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionKind;
import dev.compliance.streams.retention.ExpiryBucket;
import dev.compliance.streams.rollup.RollupKey;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed store keys round-trip for any orgId the schema allows (any string: UsageEvent.orgId is a plain
 * Avro string; validation only refuses a blank one), '|' included, for every plan, feature, kind and class.
 */
class StoreKeysTest {

    @Test
    void anyOrgIdRoundTripsThroughBothKeys() {
        for (String org : orgIds()) {
            for (Plan plan : Plan.values()) {
                for (Feature feature : Feature.values()) {
                    LocalDate day = LocalDate.of(2026, 3, 1).plusDays(plan.ordinal() * 400L + feature.ordinal());
                    for (RetentionKind kind : RetentionKind.values()) {
                        ExpiryBucket bucket = new ExpiryBucket(day, org, plan, feature, kind);
                        assertThat(ExpiryBucket.parse(bucket.format())).isEqualTo(bucket);
                    }
                    for (DataClass dataClass : DataClass.values()) {
                        RollupKey key = new RollupKey(org, day, plan, feature, dataClass);
                        assertThat(RollupKey.parse(key.format())).isEqualTo(key);
                    }
                }
            }
        }
    }

    @Test
    void theFormatsAreTheOnesOnTheTopicsAndInTheStores() {
        LocalDate day = LocalDate.parse("2026-03-01");
        assertThat(new ExpiryBucket(day, "org-1", Plan.TEAM, Feature.CHAT, RetentionKind.FIXED).format())
                .isEqualTo("2026-03-01|org-1|TEAM|CHAT|FIXED");
        assertThat(new RollupKey("org-1", day, Plan.TEAM, Feature.CHAT, DataClass.PUBLIC).format())
                .isEqualTo("org-1|2026-03-01|TEAM|CHAT|PUBLIC");
    }

    @Test
    void aStringThatIsNotAKeyIsRefused() {
        assertThatThrownBy(() -> ExpiryBucket.parse("2026-03-01|TEAM|CHAT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollupKey.parse("org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollupKey.parse("org|2026-03-01|TEAM|CHAT|NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Hand-picked awkward ids and random strings over an alphabet rich in bars and non-ASCII characters. */
    private static List<String> orgIds() {
        List<String> ids = new ArrayList<>(List.of("org-1", "", "|", "||||", "a|b", "|a", "a|", "2026-03-01|x|TEAM",
                "org|TEAM|CHAT|FIXED", "ünï|cødé", "tab\there", "new\nline", " "));
        String alphabet = "|ab-_.:0 é漢\uD83D\uDE00\\";
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 60; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                int at = random.nextInt(alphabet.length() - 1);
                char c = alphabet.charAt(at);
                sb.append(Character.isHighSurrogate(c) ? alphabet.substring(at, at + 2) : Character.isLowSurrogate(c) ? "x" : String.valueOf(c));
            }
            ids.add(sb.toString());
        }
        return ids;
    }
}

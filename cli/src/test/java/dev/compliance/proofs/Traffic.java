package dev.compliance.proofs;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded, keyed test traffic (the "driver" of Kafka's EOS system test): a few orgs with org policies
 * (some change version in the middle of the stream, one org has none), and usage events of every plan,
 * feature, data class and tag, one second apart in event time, the last one about now. The same seed gives the
 * same traffic (up to the clock).
 */
final class Traffic {

    static final int ORGS = 10;

    private final Random random;
    private final String prefix;
    private final Instant base;
    private final int events;
    private final List<String> orgs = new ArrayList<>();

    /**
     * @param prefix unique per scenario (event ids and org ids start with it)
     * @param events how many events the scenario will draw (policy versions change half-way)
     */
    Traffic(long seed, String prefix, int events) {
        this.random = new Random(seed);
        this.prefix = prefix;
        this.events = events;
        // event times end about now: the broker refuses timestamps more than an hour ahead
        // (log.message.timestamp.after.max.ms), and the hourly expiry check never runs during a proof
        this.base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(events);
        for (int i = 0; i < ORGS; i++) {
            orgs.add(prefix + "-org-" + i);
        }
        orgs.add(prefix + "-org-without-policy");
    }

    String anyOrg() {
        return orgs.get(random.nextInt(orgs.size()));
    }

    /** One policy per org (except the last org), and a second version from mid-stream for some. */
    List<OrgPolicy> policies() {
        List<OrgPolicy> result = new ArrayList<>();
        for (String org : orgs.subList(0, ORGS)) {
            result.add(policy(org, base.minus(Duration.ofDays(1))));
            if (random.nextBoolean()) {
                result.add(policy(org, base.plusSeconds(events / 2)));
            }
        }
        return result;
    }

    private OrgPolicy policy(String org, Instant from) {
        List<Plan> allowed = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            for (Plan p : Plan.values()) {
                if (random.nextBoolean()) {
                    allowed.add(p);
                }
            }
        }
        return OrgPolicy.newBuilder()
                .setOrgId(org)
                .setEffectiveFrom(from)
                .setZdrEnabled(random.nextInt(3) == 0)
                .setBaaSigned(random.nextInt(3) == 0)
                .setDevelopmentPartnerProgram(random.nextInt(5) == 0)
                .setAllowedPlans(allowed)
                .setCustomRetentionDays(random.nextInt(4) == 0 ? 30 + random.nextInt(365) : null)
                .setLocalTranscriptDays(1 + random.nextInt(60))
                .build();
    }

    /** The i-th event (event time = start + i seconds). */
    UsageEvent event(int i) {
        String org = anyOrg();
        Set<DataTag> tags = EnumSet.noneOf(DataTag.class);
        int tagCount = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
        for (int t = 0; t < tagCount; t++) {
            tags.add(pick(DataTag.values()));
        }
        return UsageEvent.newBuilder()
                .setEventId(prefix + "-e" + i)
                .setEventTime(base.plusSeconds(i))
                .setOrgId(org)
                .setUserId("user-" + random.nextInt(40) + "@" + org + ".example")
                .setPlan(pick(Plan.values()))
                .setFeature(pick(Feature.values()))
                .setDataClass(pick(DataClass.values()))
                .setDataTags(new ArrayList<>(tags))
                .setAction(random.nextInt(20) == 0 ? Action.DELETE : Action.USE)
                .setResourceId(random.nextBoolean() ? "res-" + random.nextInt(200) : null)
                .setTrainingOptIn(random.nextInt(3) == 0 ? null : random.nextBoolean())
                .setIncognito(random.nextInt(10) == 0)
                .setSessionId(random.nextBoolean() ? "session-" + random.nextInt(100) : null)
                .setSource(pick(EventSource.values()))
                .setRequestCount(random.nextInt(4) == 0 ? (long) (1 + random.nextInt(5)) : null)
                .build();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}

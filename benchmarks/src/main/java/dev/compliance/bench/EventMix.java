package dev.compliance.bench;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic mix of org policies and usage events for the benchmarks: the same seed
 * gives the same orgs, policies and events, in the same order.
 *
 * <p>The mix: orgs of four kinds (enterprise with Claude Code, team, API-only, cloud platform), a few
 * with no policy record (UNKNOWN_ORG); some events on consumer plans (shadow IT); mostly PUBLIC and
 * INTERNAL data, some SENSITIVE and RESTRICTED, a few sensitive tags (PII, PHI, CREDENTIALS, ...);
 * about 3% DELETE events. Org activity is skewed: a few orgs send most events.
 */
public final class EventMix {

    /** Org policies take effect here, before every benchmark event. */
    public static final Instant POLICY_EFFECTIVE_FROM = Instant.parse("2024-01-01T00:00:00Z");

    private static final int USERS_PER_ORG = 50;

    private enum Kind { ENTERPRISE, TEAM, API, CLOUD }

    private record Org(String id, Kind kind, OrgPolicy policy) {
    }

    private final List<Org> orgs = new ArrayList<>();
    private final Map<String, Org> byId = new HashMap<>();
    private final SplittableRandom random;
    private long sequence;

    /** {@code orgCount} orgs, about 3% of them without a policy record. */
    public EventMix(long seed, int orgCount) {
        SplittableRandom orgRandom = new SplittableRandom(seed);
        for (int i = 0; i < orgCount; i++) {
            String id = String.format("org-%04d", i);
            Kind kind = Kind.values()[pick(orgRandom, 40, 25, 25, 10)];
            boolean unknown = orgRandom.nextInt(100) < 3;
            Org org = new Org(id, kind, unknown ? null : policy(id, kind, orgRandom));
            orgs.add(org);
            byId.put(id, org);
        }
        this.random = new SplittableRandom(seed * 31 + 7);
    }

    /** The published policies (orgs without one are left out). */
    public List<OrgPolicy> policies() {
        return orgs.stream().filter(o -> o.policy() != null).map(Org::policy).toList();
    }

    /** The org's policy, or null for an org that has none. */
    public OrgPolicy policy(String orgId) {
        Org org = byId.get(orgId);
        return org == null ? null : org.policy();
    }

    public int orgCount() {
        return orgs.size();
    }

    public List<String> orgIds() {
        return orgs.stream().map(Org::id).toList();
    }

    /** The next event of the mix, at {@code eventTime}. */
    public UsageEvent next(Instant eventTime) {
        Org org = orgs.get(skewedIndex());
        return event(org, eventTime, random);
    }

    /** The next event of the mix for the given org index (0..orgCount-1), at {@code eventTime}. */
    public UsageEvent nextFor(int orgIndex, Instant eventTime) {
        return event(orgs.get(orgIndex), eventTime, random);
    }

    /**
     * An event that certainly raises a violation (CREDENTIALS_EXPOSED, whatever the org and path): a
     * USE carrying the CREDENTIALS tag, from an org that has a policy.
     */
    public UsageEvent certainViolation(Instant eventTime) {
        Org org;
        do {
            org = orgs.get(skewedIndex());
        } while (org.policy() == null);
        UsageEvent e = event(org, eventTime, random);
        e.setAction(Action.USE);
        e.setDataTags(List.of(DataTag.CREDENTIALS));
        return e;
    }

    private UsageEvent event(Org org, Instant eventTime, SplittableRandom r) {
        Plan plan = plan(org, r);
        Feature feature = feature(plan, r);
        boolean delete = r.nextInt(100) < 3;
        String user = "user-" + org.id().substring(4) + "-" + r.nextInt(USERS_PER_ORG);
        return UsageEvent.newBuilder()
                .setEventId("evt-" + (sequence++))
                .setEventTime(eventTime)
                .setOrgId(org.id())
                .setUserId(user)
                .setPlan(plan)
                .setFeature(feature)
                .setDataClass(DataClass.values()[pick(r, 30, 50, 15, 5)])
                .setDataTags(tags(r))
                .setAction(delete ? Action.DELETE : Action.USE)
                .setResourceId(delete || feature == Feature.PROJECTS || feature == Feature.FILES_API
                        ? "res-" + r.nextInt(10_000) : null)
                .setTrainingOptIn(r.nextInt(100) < 5 ? Boolean.valueOf(r.nextBoolean()) : null)
                .setIncognito(r.nextInt(100) < 2)
                .setSessionId(r.nextInt(100) < 60 ? "sess-" + r.nextInt(1_000_000) : null)
                .setSource(EventSource.GENERATOR)
                .setRequestCount((long) (1 + r.nextInt(5)))
                .build();
    }

    /** A few orgs send most events: index = n * u^2 for uniform u. */
    private int skewedIndex() {
        double u = random.nextDouble();
        return Math.min(orgs.size() - 1, (int) (orgs.size() * u * u));
    }

    private static OrgPolicy policy(String id, Kind kind, SplittableRandom r) {
        List<Plan> allowed = switch (kind) {
            case ENTERPRISE -> r.nextBoolean() ? List.of(Plan.ENTERPRISE, Plan.API) : List.of();
            case TEAM -> r.nextBoolean() ? List.of(Plan.TEAM) : List.of();
            case API -> List.of(Plan.API);
            case CLOUD -> List.of(Plan.BEDROCK, Plan.VERTEX, Plan.FOUNDRY);
        };
        boolean zdr = (kind == Kind.ENTERPRISE || kind == Kind.API) && r.nextInt(100) < 45;
        return OrgPolicy.newBuilder()
                .setOrgId(id)
                .setEffectiveFrom(POLICY_EFFECTIVE_FROM)
                .setZdrEnabled(zdr)
                .setBaaSigned(r.nextInt(100) < 20)
                .setDevelopmentPartnerProgram(kind == Kind.API && r.nextInt(100) < 10)
                .setAllowedPlans(allowed)
                .setCustomRetentionDays(kind == Kind.ENTERPRISE && r.nextInt(100) < 25 ? 90 : null)
                .setLocalTranscriptDays(r.nextInt(100) < 30 ? 7 : 30)
                .build();
    }

    private static Plan plan(Org org, SplittableRandom r) {
        if (r.nextInt(100) < 5) {
            return new Plan[]{Plan.FREE, Plan.PRO, Plan.MAX}[r.nextInt(3)]; // shadow IT
        }
        return switch (org.kind()) {
            case ENTERPRISE -> r.nextInt(100) < 80 ? Plan.ENTERPRISE : Plan.API;
            case TEAM -> Plan.TEAM;
            case API -> Plan.API;
            case CLOUD -> new Plan[]{Plan.BEDROCK, Plan.VERTEX, Plan.FOUNDRY}[r.nextInt(3)];
        };
    }

    private static final Feature[] APP_FEATURES = {Feature.CHAT, Feature.PROJECTS, Feature.CLAUDE_CODE,
            Feature.CLAUDE_CODE_WEB, Feature.CLAUDE_CODE_REMOTE, Feature.COWORK, Feature.FEEDBACK, Feature.EXCEL,
            Feature.POWERPOINT, Feature.MCP_INTEGRATION, Feature.CODE_EXECUTION};
    private static final int[] APP_WEIGHTS = {40, 10, 25, 4, 1, 5, 2, 3, 2, 5, 3};
    private static final Feature[] API_FEATURES = {Feature.MESSAGES_API, Feature.BATCH_API, Feature.FILES_API,
            Feature.TOKEN_COUNTING_API, Feature.CODE_EXECUTION, Feature.MCP_INTEGRATION, Feature.CLAUDE_CODE};
    private static final int[] API_WEIGHTS = {60, 10, 8, 5, 5, 5, 7};

    private static Feature feature(Plan plan, SplittableRandom r) {
        return switch (plan) {
            case API, BEDROCK, VERTEX, FOUNDRY -> API_FEATURES[pick(r, API_WEIGHTS)];
            default -> APP_FEATURES[pick(r, APP_WEIGHTS)];
        };
    }

    private static final DataTag[] TAGS = DataTag.values(); // PII PHI FINANCIAL LEGAL_PRIVILEGED CREDENTIALS TRADE_SECRET
    private static final int[] TAG_WEIGHTS = {6, 2, 3, 1, 1, 2};

    private static List<DataTag> tags(SplittableRandom r) {
        if (r.nextInt(100) < 85) {
            return List.of();
        }
        return List.of(TAGS[pick(r, TAG_WEIGHTS)]);
    }

    private static int pick(SplittableRandom r, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}

package dev.compliance.producers.generator;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.classify.DataClasses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Realistic, reproducible usage events: a seeded mix of orgs (Zipf-skewed traffic), plans, the features each plan
 * offers, declared data classes and data tags, deletions of earlier chats, projects and files, and on request late
 * events. The same config gives the same sequence from {@link #next()}, on any machine. {@link #orgPolicies()} gives
 * sample OrgPolicy records for the same orgs (ZDR, BAA, allowed plans, custom retention, DPP; some orgs have none).
 */
public class UsageEventGenerator {

    private static final Map<Plan, Set<Feature>> FEATURES_BY_PLAN = featuresByPlan();
    private static final Set<Plan> CONSUMER = EnumSet.of(Plan.FREE, Plan.PRO, Plan.MAX);
    private static final Set<Feature> DELETABLE = EnumSet.of(Feature.CHAT, Feature.PROJECTS, Feature.FILES_API);
    private static final int RESOURCE_POOL = 64;

    private final GeneratorConfig config;
    private final List<GeneratedOrg> orgs;
    private final Random random;
    private final Zipf orgRank;
    private final Zipf userRank;
    private final Weighted<DataClass> dataClasses;
    private final Map<Plan, Weighted<Feature>> featuresOf = new EnumMap<>(Plan.class);
    private final Map<String, Weighted<DataTag>> tagsOfIndustry = new java.util.HashMap<>();
    private final Map<String, List<Resource>> resources = new java.util.HashMap<>();
    private long sequence;
    private long clockMillis;

    public UsageEventGenerator(GeneratorConfig config) {
        this.config = config;
        this.orgs = GeneratedOrg.create(config);
        this.random = new Random(config.seed() * 0x9E3779B97F4A7C15L + 1);
        this.orgRank = new Zipf(orgs.size(), config.zipfExponent());
        this.userRank = new Zipf(config.usersPerOrg(), config.zipfExponent());
        this.dataClasses = new Weighted<>(config.dataClassWeights());
        this.clockMillis = config.start().toEpochMilli();
        for (Plan plan : Plan.values()) {
            Map<Feature, Double> weights = new EnumMap<>(Feature.class);
            for (Feature feature : FEATURES_BY_PLAN.get(plan)) {
                weights.put(feature, config.featureWeights().getOrDefault(feature, 0.0));
            }
            if (weights.values().stream().anyMatch(w -> w > 0)) {
                featuresOf.put(plan, new Weighted<>(weights));
            }
        }
    }

    public GeneratorConfig config() {
        return config;
    }

    /** The generated organizations, busiest first. */
    public List<GeneratedOrg> orgs() {
        return orgs;
    }

    /** Sample org policies for the generated orgs, in effectiveFrom order per org; same seed, same records. */
    public List<OrgPolicy> orgPolicies() {
        return SamplePolicies.forOrgs(orgs, config);
    }

    /** The next event. Event times advance with the configured rate from the configured start. */
    public UsageEvent next() {
        sequence++;
        clockMillis += Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * 1000.0 / config.eventsPerSecond()));
        GeneratedOrg org = orgs.get(orgRank.sample(random));
        String userId = org.userId(userRank.sample(random));
        long eventTime = clockMillis;
        if (random.nextDouble() < config.lateFraction() && !config.maxLateness().isZero()) {
            eventTime -= 1 + (long) (random.nextDouble() * config.maxLateness().toMillis());
        }
        List<Resource> pool = resources.computeIfAbsent(org.orgId(), k -> new ArrayList<>());
        if (!pool.isEmpty() && random.nextDouble() < config.deleteFraction()) {
            Resource deleted = pool.remove(random.nextInt(pool.size()));
            return base(org, deleted.userId(), deleted.plan(), deleted.feature(), eventTime)
                    .setAction(Action.DELETE)
                    .setResourceId(deleted.id())
                    .setDataClass(DataClass.INTERNAL)
                    .build();
        }
        Plan plan = pickPlan(org);
        Weighted<Feature> features = featuresOf.get(plan);
        if (features == null) {
            plan = org.mainPlan();
            features = featuresOf.getOrDefault(plan, new Weighted<>(Map.of(Feature.CHAT, 1.0)));
        }
        Feature feature = features.pick(random);
        DataClass declared = dataClasses.pick(random);
        List<DataTag> tags = new ArrayList<>();
        if (random.nextDouble() < config.taggedFraction()) {
            Weighted<DataTag> tagMix = tagsOfIndustry.computeIfAbsent(org.industry(), this::tagMix);
            tags.add(tagMix.pick(random));
            if (random.nextDouble() < 0.2) {
                DataTag second = tagMix.pick(random);
                if (!tags.contains(second)) {
                    tags.add(second);
                }
            }
            // Most producers classify content and raise the class; a fifth keep the declared class (mislabelled).
            if (random.nextDouble() < 0.8) {
                declared = DataClasses.raise(declared, tags);
            }
        }
        UsageEvent.Builder event = base(org, userId, plan, feature, eventTime)
                .setAction(Action.USE)
                .setDataClass(declared)
                .setDataTags(tags);
        if (DELETABLE.contains(feature)) {
            event.setResourceId(resourceFor(pool, org, userId, plan, feature));
        }
        if (feature == Feature.CLAUDE_CODE || feature == Feature.CLAUDE_CODE_WEB
                || feature == Feature.CLAUDE_CODE_REMOTE || feature == Feature.COWORK) {
            event.setSessionId(String.format("sess_%08x", random.nextInt()));
        }
        if (CONSUMER.contains(plan)) {
            double choice = random.nextDouble();
            event.setTrainingOptIn(choice < 0.6 ? null : choice < 0.85);
            event.setIncognito(feature == Feature.CHAT && random.nextDouble() < 0.05);
        }
        if (feature == Feature.BATCH_API) {
            event.setRequestCount(10L + random.nextInt(990));
        }
        return event.build();
    }

    private UsageEvent.Builder base(GeneratedOrg org, String userId, Plan plan, Feature feature, long eventTime) {
        return UsageEvent.newBuilder()
                .setEventId("gen-" + config.seed() + "-" + sequence)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setOrgId(org.orgId())
                .setUserId(userId)
                .setPlan(plan)
                .setFeature(feature)
                .setDataTags(List.of())
                .setSource(EventSource.GENERATOR);
    }

    private Plan pickPlan(GeneratedOrg org) {
        if (org.otherPlans().isEmpty() || random.nextDouble() < 0.8) {
            return org.mainPlan();
        }
        return org.otherPlans().get(random.nextInt(org.otherPlans().size()));
    }

    private String resourceFor(List<Resource> pool, GeneratedOrg org, String userId, Plan plan, Feature feature) {
        List<Resource> same = pool.stream().filter(r -> r.feature() == feature && r.userId().equals(userId)).toList();
        if (!same.isEmpty() && random.nextDouble() < 0.6) {
            return same.get(random.nextInt(same.size())).id();
        }
        String prefix = switch (feature) {
            case PROJECTS -> "proj_";
            case FILES_API -> "file_";
            default -> "chat_";
        };
        Resource created = new Resource(prefix + org.slug() + "_" + sequence, userId, plan, feature);
        if (pool.size() >= RESOURCE_POOL) {
            pool.remove(0);
        }
        pool.add(created);
        return created.id();
    }

    private Weighted<DataTag> tagMix(String industry) {
        Map<DataTag, Double> weights = new EnumMap<>(DataTag.class);
        weights.putAll(config.tagWeights());
        DataTag favoured = switch (industry) {
            case "health" -> DataTag.PHI;
            case "finance" -> DataTag.FINANCIAL;
            case "legal" -> DataTag.LEGAL_PRIVILEGED;
            case "tech" -> DataTag.CREDENTIALS;
            default -> DataTag.PII;
        };
        if (weights.getOrDefault(favoured, 0.0) > 0) {
            weights.put(favoured, weights.get(favoured) * 4);
        }
        return new Weighted<>(weights);
    }

    /** The features each plan offers: a FREE plan has no Batch API, the API has no Cowork. */
    static Map<Plan, Set<Feature>> featuresByPlan() {
        Map<Plan, Set<Feature>> byPlan = new EnumMap<>(Plan.class);
        Set<Feature> consumer = EnumSet.of(Feature.CHAT, Feature.PROJECTS, Feature.CLAUDE_CODE, Feature.CLAUDE_CODE_WEB,
                Feature.CLAUDE_CODE_REMOTE, Feature.FEEDBACK, Feature.MCP_INTEGRATION);
        Set<Feature> work = EnumSet.of(Feature.CHAT, Feature.PROJECTS, Feature.CLAUDE_CODE, Feature.CLAUDE_CODE_WEB,
                Feature.CLAUDE_CODE_REMOTE, Feature.FEEDBACK, Feature.COWORK, Feature.EXCEL, Feature.POWERPOINT,
                Feature.MCP_INTEGRATION);
        Set<Feature> api = EnumSet.of(Feature.MESSAGES_API, Feature.TOKEN_COUNTING_API, Feature.BATCH_API,
                Feature.FILES_API, Feature.CODE_EXECUTION, Feature.CLAUDE_CODE, Feature.MCP_INTEGRATION);
        Set<Feature> cloud = EnumSet.of(Feature.MESSAGES_API, Feature.BATCH_API, Feature.CLAUDE_CODE,
                Feature.TOKEN_COUNTING_API);
        byPlan.put(Plan.FREE, EnumSet.of(Feature.CHAT, Feature.PROJECTS, Feature.FEEDBACK, Feature.MCP_INTEGRATION));
        byPlan.put(Plan.PRO, consumer);
        byPlan.put(Plan.MAX, consumer);
        byPlan.put(Plan.TEAM, work);
        byPlan.put(Plan.ENTERPRISE, work);
        byPlan.put(Plan.API, api);
        byPlan.put(Plan.BEDROCK, cloud);
        byPlan.put(Plan.VERTEX, cloud);
        byPlan.put(Plan.FOUNDRY, cloud);
        return byPlan;
    }

    /** The simulated time of the last event (before any lateness shift). */
    public Instant clock() {
        return Instant.ofEpochMilli(clockMillis);
    }

    /** How many events {@link #next()} has made. */
    public long produced() {
        return sequence;
    }

    private record Resource(String id, String userId, Plan plan, Feature feature) {
    }
}

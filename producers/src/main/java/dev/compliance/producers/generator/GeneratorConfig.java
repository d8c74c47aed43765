package dev.compliance.producers.generator;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the generator makes. Two generators with equal configs produce equal event sequences.
 *
 * @param seed                 seeds every random choice
 * @param orgs                 how many organizations (Zipf-skewed: org 0 is the busiest)
 * @param usersPerOrg          users in each org (Zipf-skewed inside the org)
 * @param zipfExponent         skew of orgs and users; 0 is uniform, around 1 is typical of real traffic
 * @param start                event time of the first event; later events follow at {@code eventsPerSecond}
 * @param eventsPerSecond      spacing of event times (exponential gaps with this mean rate)
 * @param planWeights          relative weight of each plan as an org's main plan
 * @param featureWeights       relative weight of each feature (only features the plan offers are drawn)
 * @param dataClassWeights     relative weight of each declared data class
 * @param taggedFraction       share of USE events that carry data tags
 * @param tagWeights           relative weight of each tag among tagged events
 * @param deleteFraction       share of events that delete an earlier chat, project or file
 * @param lateFraction         share of events whose event time is moved back (late and out of order)
 * @param maxLateness          how far back at most a late event's time is moved
 * @param orgsWithoutPolicy    share of orgs that get no sample OrgPolicy (they raise UNKNOWN_ORG)
 */
public record GeneratorConfig(
        long seed,
        int orgs,
        int usersPerOrg,
        double zipfExponent,
        Instant start,
        double eventsPerSecond,
        Map<Plan, Double> planWeights,
        Map<Feature, Double> featureWeights,
        Map<DataClass, Double> dataClassWeights,
        double taggedFraction,
        Map<DataTag, Double> tagWeights,
        double deleteFraction,
        double lateFraction,
        Duration maxLateness,
        double orgsWithoutPolicy) {

    /** Defaults that look like a mid-size deployment: 12 orgs, 40 users each, a fixed start in 2026. */
    public static GeneratorConfig defaults(long seed) {
        return new GeneratorConfig(seed, 12, 40, 1.1, Instant.parse("2026-03-02T09:00:00Z"), 50.0,
                defaultPlanWeights(), defaultFeatureWeights(), defaultDataClassWeights(), 0.15, defaultTagWeights(),
                0.03, 0.0, Duration.ofMinutes(30), 0.1);
    }

    public GeneratorConfig {
        // Enum order, not Map.copyOf: an immutable map's iteration order changes from one JVM to the next, and the
        // draws must not.
        planWeights = inEnumOrder(Plan.class, planWeights);
        featureWeights = inEnumOrder(Feature.class, featureWeights);
        dataClassWeights = inEnumOrder(DataClass.class, dataClassWeights);
        tagWeights = inEnumOrder(DataTag.class, tagWeights);
        require(orgs >= 1 && orgs <= 100_000, "orgs must be between 1 and 100000, got " + orgs);
        require(usersPerOrg >= 1 && usersPerOrg <= 1_000_000, "users per org must be between 1 and 1000000, got " + usersPerOrg);
        require(zipfExponent >= 0 && zipfExponent <= 5, "zipf exponent must be between 0 and 5, got " + zipfExponent);
        require(eventsPerSecond > 0, "events per second must be positive, got " + eventsPerSecond);
        require(fraction(taggedFraction), "tagged fraction must be between 0 and 1, got " + taggedFraction);
        require(fraction(deleteFraction), "delete fraction must be between 0 and 1, got " + deleteFraction);
        require(fraction(lateFraction), "late fraction must be between 0 and 1, got " + lateFraction);
        require(fraction(orgsWithoutPolicy), "orgs-without-policy fraction must be between 0 and 1, got " + orgsWithoutPolicy);
        require(!maxLateness.isNegative(), "max lateness must not be negative, got " + maxLateness);
        require(positiveSum(planWeights), "plan weights need at least one positive weight");
        require(positiveSum(featureWeights), "feature weights need at least one positive weight");
        require(positiveSum(dataClassWeights), "data class weights need at least one positive weight");
        require(positiveSum(tagWeights), "tag weights need at least one positive weight");
    }

    public GeneratorConfig withSeed(long newSeed) {
        return new GeneratorConfig(newSeed, orgs, usersPerOrg, zipfExponent, start, eventsPerSecond, planWeights,
                featureWeights, dataClassWeights, taggedFraction, tagWeights, deleteFraction, lateFraction, maxLateness,
                orgsWithoutPolicy);
    }

    public GeneratorConfig withOrgs(int newOrgs, int newUsersPerOrg) {
        return new GeneratorConfig(seed, newOrgs, newUsersPerOrg, zipfExponent, start, eventsPerSecond, planWeights,
                featureWeights, dataClassWeights, taggedFraction, tagWeights, deleteFraction, lateFraction, maxLateness,
                orgsWithoutPolicy);
    }

    public GeneratorConfig withStart(Instant newStart, double newEventsPerSecond) {
        return new GeneratorConfig(seed, orgs, usersPerOrg, zipfExponent, newStart, newEventsPerSecond, planWeights,
                featureWeights, dataClassWeights, taggedFraction, tagWeights, deleteFraction, lateFraction, maxLateness,
                orgsWithoutPolicy);
    }

    public GeneratorConfig withLateness(double newLateFraction, Duration newMaxLateness) {
        return new GeneratorConfig(seed, orgs, usersPerOrg, zipfExponent, start, eventsPerSecond, planWeights,
                featureWeights, dataClassWeights, taggedFraction, tagWeights, deleteFraction, newLateFraction,
                newMaxLateness, orgsWithoutPolicy);
    }

    public GeneratorConfig withTagging(double newTaggedFraction, Map<DataTag, Double> newTagWeights) {
        return new GeneratorConfig(seed, orgs, usersPerOrg, zipfExponent, start, eventsPerSecond, planWeights,
                featureWeights, dataClassWeights, newTaggedFraction, newTagWeights, deleteFraction, lateFraction,
                maxLateness, orgsWithoutPolicy);
    }

    public GeneratorConfig withWeights(Map<Plan, Double> newPlanWeights, Map<Feature, Double> newFeatureWeights,
                                       Map<DataClass, Double> newDataClassWeights) {
        return new GeneratorConfig(seed, orgs, usersPerOrg, zipfExponent, start, eventsPerSecond, newPlanWeights,
                newFeatureWeights, newDataClassWeights, taggedFraction, tagWeights, deleteFraction, lateFraction,
                maxLateness, orgsWithoutPolicy);
    }

    static Map<Plan, Double> defaultPlanWeights() {
        Map<Plan, Double> w = new EnumMap<>(Plan.class);
        w.put(Plan.ENTERPRISE, 25.0);
        w.put(Plan.TEAM, 18.0);
        w.put(Plan.API, 25.0);
        w.put(Plan.PRO, 8.0);
        w.put(Plan.MAX, 4.0);
        w.put(Plan.FREE, 3.0);
        w.put(Plan.BEDROCK, 9.0);
        w.put(Plan.VERTEX, 5.0);
        w.put(Plan.FOUNDRY, 3.0);
        return w;
    }

    static Map<Feature, Double> defaultFeatureWeights() {
        Map<Feature, Double> w = new EnumMap<>(Feature.class);
        w.put(Feature.CHAT, 30.0);
        w.put(Feature.CLAUDE_CODE, 25.0);
        w.put(Feature.MESSAGES_API, 25.0);
        w.put(Feature.PROJECTS, 6.0);
        w.put(Feature.MCP_INTEGRATION, 5.0);
        w.put(Feature.BATCH_API, 4.0);
        w.put(Feature.FILES_API, 3.0);
        w.put(Feature.COWORK, 2.0);
        w.put(Feature.CLAUDE_CODE_WEB, 2.0);
        w.put(Feature.TOKEN_COUNTING_API, 2.0);
        w.put(Feature.CODE_EXECUTION, 1.0);
        w.put(Feature.EXCEL, 1.0);
        w.put(Feature.POWERPOINT, 1.0);
        w.put(Feature.CLAUDE_CODE_REMOTE, 1.0);
        w.put(Feature.FEEDBACK, 0.5);
        return w;
    }

    static Map<DataClass, Double> defaultDataClassWeights() {
        Map<DataClass, Double> w = new EnumMap<>(DataClass.class);
        w.put(DataClass.PUBLIC, 20.0);
        w.put(DataClass.INTERNAL, 55.0);
        w.put(DataClass.SENSITIVE, 20.0);
        w.put(DataClass.RESTRICTED, 5.0);
        return w;
    }

    static Map<DataTag, Double> defaultTagWeights() {
        Map<DataTag, Double> w = new EnumMap<>(DataTag.class);
        w.put(DataTag.PII, 40.0);
        w.put(DataTag.FINANCIAL, 20.0);
        w.put(DataTag.PHI, 15.0);
        w.put(DataTag.CREDENTIALS, 10.0);
        w.put(DataTag.LEGAL_PRIVILEGED, 8.0);
        w.put(DataTag.TRADE_SECRET, 7.0);
        return w;
    }

    private static <E extends Enum<E>> Map<E, Double> inEnumOrder(Class<E> type, Map<E, Double> weights) {
        Map<E, Double> ordered = new EnumMap<>(type);
        ordered.putAll(weights);
        return java.util.Collections.unmodifiableMap(ordered);
    }

    private static boolean fraction(double value) {
        return value >= 0 && value <= 1;
    }

    private static boolean positiveSum(Map<?, Double> weights) {
        return weights.values().stream().anyMatch(w -> w > 0) && weights.values().stream().noneMatch(w -> w < 0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new SourceException("generator: " + message);
        }
    }
}

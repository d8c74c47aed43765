package dev.compliance.producers.generator;

import dev.compliance.avro.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One generated organization: its id, industry (which skews its data tags), main plan and the other plans some of
 * its people use (an Enterprise org whose developers also hold API keys, or use personal Pro accounts).
 */
public record GeneratedOrg(String orgId, String slug, String industry, Plan mainPlan, List<Plan> otherPlans,
                           int users) {

    private static final String[][] NAMES = {
            {"acme-health", "health"}, {"northwind-bank", "finance"}, {"globex-legal", "legal"},
            {"initech", "tech"}, {"umbrella-pharma", "health"}, {"hooli", "tech"},
            {"wayne-capital", "finance"}, {"soylent-foods", "retail"}, {"tyrell-biotech", "health"},
            {"pied-piper", "tech"}, {"vandelay-imports", "retail"}, {"gringotts-trust", "finance"},
            {"oscorp-clinical", "health"}, {"aperture-labs", "tech"}, {"dunder-paper", "retail"},
            {"prestige-counsel", "legal"}};

    private static final Map<Plan, List<Plan>> SIDE_PLANS = Map.of(
            Plan.ENTERPRISE, List.of(Plan.API, Plan.BEDROCK, Plan.PRO),
            Plan.TEAM, List.of(Plan.API, Plan.PRO, Plan.FREE),
            Plan.API, List.of(Plan.BEDROCK, Plan.VERTEX, Plan.TEAM),
            Plan.BEDROCK, List.of(Plan.API),
            Plan.VERTEX, List.of(Plan.API),
            Plan.FOUNDRY, List.of(Plan.API),
            Plan.PRO, List.of(Plan.MAX),
            Plan.MAX, List.of(Plan.PRO),
            Plan.FREE, List.of(Plan.PRO));

    public GeneratedOrg {
        otherPlans = List.copyOf(otherPlans);
    }

    /** The user of the given popularity rank (0 is the most active). */
    public String userId(int rank) {
        return String.format("dev%03d@%s.example", rank, slug);
    }

    static List<GeneratedOrg> create(GeneratorConfig config) {
        Random random = new Random(config.seed());
        Weighted<Plan> plans = new Weighted<>(config.planWeights());
        List<GeneratedOrg> orgs = new ArrayList<>();
        for (int i = 0; i < config.orgs(); i++) {
            String[] name = NAMES[i % NAMES.length];
            String slug = i < NAMES.length ? name[0] : name[0] + "-" + (i / NAMES.length + 1);
            Plan main = plans.pick(random);
            List<Plan> others = new ArrayList<>();
            if (random.nextDouble() < 0.35) {
                List<Plan> candidates = SIDE_PLANS.get(main);
                Plan side = candidates.get(random.nextInt(candidates.size()));
                if (config.planWeights().getOrDefault(side, 0.0) > 0) {
                    others.add(side);
                }
            }
            orgs.add(new GeneratedOrg("org_" + slug.replace('-', '_'), slug, name[1], main, others,
                    config.usersPerOrg()));
        }
        return List.copyOf(orgs);
    }
}

package dev.compliance.producers.generator;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sample OrgPolicy records for generated orgs, the way real orgs look: Enterprise and API orgs often have ZDR,
 * health orgs usually a BAA, some orgs restrict the allowed plans (so their side plans are flagged), Enterprise
 * orgs may set a custom retention window, API orgs may be in the Development Partner Program. Some orgs get no
 * record at all, and some get a second version during the stream (ZDR switched on, or a plan restriction added),
 * so that events are judged by the version in force at their time. Invalid but realistic combinations (ZDR on a
 * TEAM org, DPP together with ZDR) appear now and then: the pipeline must flag what follows from them.
 */
final class SamplePolicies {

    private static final int[] RETENTION_DAYS = {30, 90, 180, 365};
    private static final int[] TRANSCRIPT_DAYS = {7, 14, 90};

    private SamplePolicies() {
    }

    static List<OrgPolicy> forOrgs(List<GeneratedOrg> orgs, GeneratorConfig config) {
        Random random = new Random(config.seed() + 0x5A17L);
        Instant since = config.start().minus(Duration.ofDays(90));
        List<OrgPolicy> policies = new ArrayList<>();
        for (GeneratedOrg org : orgs) {
            boolean skipped = random.nextDouble() < config.orgsWithoutPolicy();
            Plan main = org.mainPlan();
            boolean commercial = main == Plan.ENTERPRISE || main == Plan.API;
            OrgPolicy.Builder first = OrgPolicy.newBuilder()
                    .setOrgId(org.orgId())
                    .setEffectiveFrom(since)
                    .setZdrEnabled(random.nextDouble() < (commercial ? 0.5 : main == Plan.TEAM ? 0.05 : 0.0))
                    .setBaaSigned(random.nextDouble() < (org.industry().equals("health") ? 0.8 : 0.05))
                    .setDevelopmentPartnerProgram(main == Plan.API && random.nextDouble() < 0.25)
                    .setAllowedPlans(random.nextDouble() < 0.3 ? List.of(main) : List.of())
                    .setCustomRetentionDays(main == Plan.ENTERPRISE && random.nextDouble() < 0.4
                            ? RETENTION_DAYS[random.nextInt(RETENTION_DAYS.length)] : null)
                    .setLocalTranscriptDays(random.nextDouble() < 0.2
                            ? TRANSCRIPT_DAYS[random.nextInt(TRANSCRIPT_DAYS.length)] : 30);
            boolean changes = random.nextDouble() < 0.25;
            long changeAfterSeconds = 60 + random.nextInt(540);
            if (skipped) {
                continue;
            }
            OrgPolicy version1 = first.build();
            policies.add(version1);
            if (changes) {
                OrgPolicy.Builder second = OrgPolicy.newBuilder(version1)
                        .setEffectiveFrom(config.start().plusSeconds(changeAfterSeconds));
                if (!version1.getZdrEnabled() && commercial) {
                    second.setZdrEnabled(true);
                } else {
                    second.setAllowedPlans(List.of(main));
                }
                policies.add(second.build());
            }
        }
        return List.copyOf(policies);
    }
}

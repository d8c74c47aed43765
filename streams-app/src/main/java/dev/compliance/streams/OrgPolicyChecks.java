package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * What an org-policy record must satisfy beyond its schema, in one place: {@code compliance policy}
 * refuses a file entry that fails (with its file and line), and the pipeline refuses a record on the
 * topic that fails.
 *
 * <p>Day counts are bounded to 1..{@value #MAX_DAYS}: a retention window of zero or less means nothing,
 * and ten years is the horizon of the policy history ({@code Topics.POLICY_HISTORY}).
 */
public final class OrgPolicyChecks {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;

    private OrgPolicyChecks() {
    }

    /** Every problem of {@code policy}, each one sentence naming the field; empty when it is valid. */
    public static List<String> problems(OrgPolicy policy) {
        List<String> problems = new ArrayList<>();
        String orgId = policy.getOrgId();
        if (orgId == null || orgId.isBlank()) {
            problems.add("orgId must not be blank");
        } else if (!orgId.equals(orgId.strip())) {
            problems.add("orgId '" + orgId + "' has leading or trailing spaces");
        }
        if (policy.getEffectiveFrom() != null && policy.getEffectiveFrom().toEpochMilli() <= 0) {
            problems.add("effectiveFrom " + policy.getEffectiveFrom() + " is not after 1970-01-01");
        }
        days(problems, "customRetentionDays", policy.getCustomRetentionDays());
        days(problems, "localTranscriptDays", policy.getLocalTranscriptDays());
        return problems;
    }

    private static void days(List<String> problems, String field, Integer days) {
        if (days != null && (days < MIN_DAYS || days > MAX_DAYS)) {
            problems.add(field + " " + days + " is outside " + MIN_DAYS + ".." + MAX_DAYS);
        }
    }
}

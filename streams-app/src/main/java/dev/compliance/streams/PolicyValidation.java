package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;

import java.util.List;

/**
 * Checks an org policy record before it enters the policy history (POLICY.md v2, "Org policy": "A
 * record is refused ... when customRetentionDays is below 1 or above 3650, or localTranscriptDays is
 * below 1 or above 3650"): a typo must not become a verdict. A refused record goes to the dead-letter
 * topic with the reason, and the version in force before it stays in force.
 */
public final class PolicyValidation {

    private PolicyValidation() {
    }

    /**
     * The reason the record is refused, or null when it may be put in force. A tombstone (null, a
     * retirement) is valid. The checks are {@link OrgPolicyChecks}', the same that `compliance policy` runs.
     */
    public static String problem(OrgPolicy policy) {
        if (policy == null) {
            return null;
        }
        List<String> problems = OrgPolicyChecks.problems(policy);
        if (problems.isEmpty()) {
            return null;
        }
        return "org policy of '" + policy.getOrgId() + "' effective " + policy.getEffectiveFrom() + ": "
                + String.join("; ", problems) + " (fix the record and publish it again; the previous version stays in force)";
    }
}

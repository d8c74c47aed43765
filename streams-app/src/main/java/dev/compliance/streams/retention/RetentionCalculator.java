package dev.compliance.streams.retention;

import dev.compliance.avro.Action;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.RetentionRule;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.rules.EventContext;

import java.time.Duration;
import java.time.Instant;

/**
 * POLICY.md's retention table applied to one event: the catalog row lists the retention rows that can
 * match its plan x feature, in order; the first whose condition holds decides.
 */
public final class RetentionCalculator {

    private RetentionCalculator() {
    }

    /** The retention row that decides for this event's path and org. */
    public static RetentionRule decidingRule(EventContext c) {
        for (RetentionRule rule : c.row().getRetention()) {
            boolean holds = switch (rule.getCondition()) {
                case ALWAYS -> true;
                case ZERO_RETENTION_PATH -> c.zeroRetentionPath();
                case TRAINING_APPLIES -> c.consumerTrainingApplies();
                case CUSTOM_RETENTION_SET -> c.orgKnown() && c.policy().getCustomRetentionDays() != null;
            };
            if (holds) {
                return rule;
            }
        }
        throw new IllegalStateException("catalog row " + PolicyCatalog.key(c.row().getPlan(), c.row().getFeature())
                + " has no retention row that always holds; PolicyCatalog validates this on load");
    }

    /**
     * The verdict for a USE event, or for a DELETE event: a DELETE of UNTIL_DELETED content starts its
     * clock (expiresAt = deletion + days); a DELETE of anything else returns null (nothing to schedule).
     */
    public static RetentionVerdict decide(EventContext c) {
        RetentionRule rule = decidingRule(c);
        Instant at = c.event().getEventTime();
        boolean delete = c.event().getAction() == Action.DELETE;
        if (delete && rule.getKind() != RetentionKind.UNTIL_DELETED) {
            return null;
        }
        Integer days = rule.getDays();
        if (rule.getKind() == RetentionKind.FIXED && days == null) {
            days = c.policy().getCustomRetentionDays(); // row 3: the org's own window
        }
        Instant expiresAt = switch (rule.getKind()) {
            case ZERO -> at;
            case FIXED -> at.plus(Duration.ofDays(days));
            case UNTIL_DELETED -> delete ? at.plus(Duration.ofDays(days)) : null;
            case PLATFORM_DEFINED -> null;
        };
        if (rule.getKind() == RetentionKind.ZERO) {
            days = 0;
        }
        Instant worstCase = worstCase(c, rule, at, expiresAt);
        Instant local = null;
        Integer defaultLocalDays = c.row().getLocalTranscriptDefaultDays();
        if (defaultLocalDays != null && !delete) {
            int localDays = c.orgKnown() ? c.policy().getLocalTranscriptDays() : defaultLocalDays;
            local = at.plus(Duration.ofDays(localDays));
        }
        return new RetentionVerdict(rule.getKind(), days, expiresAt, worstCase, local, rule.getRow(), rule.getCitations());
    }

    /**
     * The latest of the holds that apply (the catalog's [holds]): expiresAt itself, the holds that always
     * apply on the path (730 days except on BEDROCK, 3650 for FEEDBACK) and, when the content may train
     * models, the training hold (1825 days, 004), which alone gives a verdict without expiresAt a date.
     */
    private static Instant worstCase(EventContext c, RetentionRule rule, Instant at, Instant expiresAt) {
        Instant worst = expiresAt;
        if (expiresAt != null && rule.getWorstCaseDays() > 0) {
            worst = latest(worst, at.plus(Duration.ofDays(rule.getWorstCaseDays())));
        }
        Integer trainingHold = c.row().getTrainingHoldDays();
        if (trainingHold != null && c.mayTrainModels()) {
            worst = latest(worst, at.plus(Duration.ofDays(trainingHold)));
        }
        return worst;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}

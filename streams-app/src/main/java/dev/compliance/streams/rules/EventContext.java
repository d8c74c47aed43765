package dev.compliance.streams.rules;

import dev.compliance.avro.Action;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.ClassFloor;
import dev.compliance.avro.ClassificationProfile;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;

/**
 * A usage event with what it is judged against: the org policy in force at its event time (null
 * when none was) and its plan x feature catalog row. The derived facts of POLICY.md live here, once,
 * so that each rule reads like its line in the policy table.
 */
public record EventContext(UsageEvent event, OrgPolicy policy, CatalogEntry row) {

    public boolean orgKnown() {
        return policy != null;
    }

    public boolean isUse() {
        return event.getAction() == Action.USE;
    }

    public boolean zdrEnabled() {
        return policy != null && policy.getZdrEnabled();
    }

    public boolean baaSigned() {
        return policy != null && policy.getBaaSigned();
    }

    public boolean developmentPartnerProgram() {
        return policy != null && policy.getDevelopmentPartnerProgram();
    }

    public boolean hasTag(DataTag tag) {
        return event.getDataTags().contains(tag);
    }

    /** The org's classificationProfile; STANDARD when no record is in force (POLICY.md v2, 001). */
    public ClassificationProfile classificationProfile() {
        return policy == null ? ClassificationProfile.STANDARD : policy.getClassificationProfile();
    }

    /** The declared class, raised to the highest floor of its tags under the org's profile (the catalog's [class-floors], 001). */
    public DataClass effectiveClass() {
        DataClass effective = event.getDataClass();
        ClassificationProfile profile = classificationProfile();
        for (ClassFloor floor : row.getClassFloors()) { // plain loops: this runs for every rule of every event
            if (floor.getProfile() == profile && floor.getFloor().ordinal() > effective.ordinal()) {
                for (DataTag tag : event.getDataTags()) {
                    if (floor.getTags().contains(tag)) {
                        effective = floor.getFloor();
                        break;
                    }
                }
            }
        }
        return effective;
    }

    public boolean effectiveAtLeast(DataClass floor) {
        return effectiveClass().ordinal() >= floor.ordinal();
    }

    /**
     * The event travels a zero-retention path: the catalog row's ZDR coverage, with the org's agreement the
     * row names (zdrEnabled; foundryAbuseMonitoringOptOut on Foundry, 004).
     */
    public boolean zeroRetentionPath() {
        return covered(row.getZdrCoverage(), policy != null && Boolean.TRUE.equals(policy.get(row.getZdrAgreement())));
    }

    /** The path is covered by a HIPAA BAA. */
    public boolean baaCovered() {
        return covered(row.getBaaCoverage(), baaSigned());
    }

    private static boolean covered(Coverage coverage, boolean orgHasAgreement) {
        return switch (coverage) {
            case ALWAYS -> true;
            case WITH_ORG_AGREEMENT -> orgHasAgreement;
            case NEVER -> false;
        };
    }

    public boolean consumerPlan() {
        return row.getConsumer();
    }

    /**
     * Consumer content may train models (004): unless the user opted out or the chat is incognito;
     * before the catalog's training-default date, only when the user opted in.
     */
    public boolean consumerTrainingApplies() {
        if (!consumerPlan() || event.getIncognito()) {
            return false;
        }
        Boolean optIn = event.getTrainingOptIn();
        if (optIn != null) {
            return optIn;
        }
        return row.getTrainingDefaultFrom() != null && !event.getEventTime().isBefore(row.getTrainingDefaultFrom());
    }

    /**
     * Content may train models, by the row's training condition (the catalog's [training]: consumer training,
     * the Development Partner Program on first-party commercial plans (002), reported material such as
     * FEEDBACK (003)); never on a zero-retention path.
     */
    public boolean mayTrainModels() {
        if (zeroRetentionPath()) {
            return false;
        }
        return switch (row.getTraining()) {
            case NEVER -> false;
            case CONSUMER_SETTING -> consumerTrainingApplies();
            case DEVELOPMENT_PARTNER_PROGRAM -> developmentPartnerProgram();
            case ALWAYS -> true;
        };
    }
}

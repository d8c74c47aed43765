package dev.compliance.streams.rules;

import dev.compliance.avro.Action;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;

import java.util.EnumSet;
import java.util.Set;

/**
 * A usage event with what it is judged against: the org policy in force at its event time (null
 * when none was) and its plan x feature catalog row. The derived facts of POLICY.md live here, once,
 * so that each rule reads like its line in the policy table.
 */
public record EventContext(UsageEvent event, OrgPolicy policy, CatalogEntry row) {

    /** Tags that raise the effective class to at least SENSITIVE (001). */
    private static final Set<DataTag> SENSITIVE_TAGS =
            EnumSet.of(DataTag.PII, DataTag.PHI, DataTag.FINANCIAL, DataTag.LEGAL_PRIVILEGED, DataTag.TRADE_SECRET);

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

    /** The declared class, raised to at least SENSITIVE when the event carries a sensitive tag. */
    public DataClass effectiveClass() {
        DataClass declared = event.getDataClass();
        if (declared.ordinal() >= DataClass.SENSITIVE.ordinal()) {
            return declared;
        }
        for (DataTag tag : event.getDataTags()) { // a plain loop: this runs for every rule of every event
            if (SENSITIVE_TAGS.contains(tag)) {
                return DataClass.SENSITIVE;
            }
        }
        return declared;
    }

    public boolean effectiveAtLeast(DataClass floor) {
        return effectiveClass().ordinal() >= floor.ordinal();
    }

    /** The event travels a zero-retention path: the catalog row's ZDR coverage, with the org's agreement. */
    public boolean zeroRetentionPath() {
        return covered(row.getZdrCoverage(), zdrEnabled());
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

    /** Content may train models: consumer training, or the API with the Development Partner Program (002). */
    public boolean mayTrainModels() {
        return consumerTrainingApplies() || (event.getPlan() == Plan.API && developmentPartnerProgram());
    }
}

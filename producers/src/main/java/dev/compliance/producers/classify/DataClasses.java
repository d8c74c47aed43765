package dev.compliance.producers.classify;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import java.util.Collection;

/**
 * How detected tags raise an event's data class (see producers/README-sources.md, "Content classification").
 * CREDENTIALS and LEGAL_PRIVILEGED raise it to RESTRICTED (seed 001 puts legal privileged data in "Restricted:
 * do not use Claude"; a live secret is never fit to send); every other tag raises it to at least SENSITIVE
 * (seed 001: customer, financial, health and proprietary data are "Sensitive"). A class is never lowered.
 */
public final class DataClasses {

    private DataClasses() {
    }

    public static DataClass floorFor(DataTag tag) {
        return switch (tag) {
            case CREDENTIALS, LEGAL_PRIVILEGED -> DataClass.RESTRICTED;
            case PII, PHI, FINANCIAL, TRADE_SECRET -> DataClass.SENSITIVE;
        };
    }

    /** The declared class raised to the floor of every tag. */
    public static DataClass raise(DataClass declared, Collection<DataTag> tags) {
        DataClass result = declared;
        for (DataTag tag : tags) {
            result = max(result, floorFor(tag));
        }
        return result;
    }

    public static DataClass max(DataClass a, DataClass b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}

package dev.compliance.producers.otlp;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** An org's plan and data class, used when its telemetry carries no compliance.plan / compliance.data_class. */
public record OrgDefaults(Plan plan, DataClass dataClass) {

    /**
     * Parses the command-line form {@code ORG=PLAN} or {@code ORG=PLAN:CLASS} (case-insensitive names); a missing
     * class is null, so the receiver's default class applies.
     */
    public static Map.Entry<String, OrgDefaults> parse(String text) {
        String[] orgAndRest = text.split("=", 2);
        if (orgAndRest.length != 2 || orgAndRest[0].isBlank() || orgAndRest[1].isBlank()) {
            throw new SourceException("otlp: org default '" + text + "' must look like ORG=PLAN or ORG=PLAN:CLASS");
        }
        String[] planAndClass = orgAndRest[1].split(":", 2);
        Plan plan = parseEnum(Plan.class, planAndClass[0], "plan", text);
        DataClass dataClass = planAndClass.length == 2 ? parseEnum(DataClass.class, planAndClass[1], "data class", text) : null;
        return Map.entry(orgAndRest[0].trim(), new OrgDefaults(plan, dataClass));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String what, String text) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SourceException("otlp: unknown " + what + " '" + value.trim() + "' in org default '" + text
                    + "' (expected one of " + Arrays.toString(type.getEnumConstants()) + ")");
        }
    }
}

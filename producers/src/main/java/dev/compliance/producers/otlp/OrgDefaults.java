package dev.compliance.producers.otlp;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;

/** An org's plan and data class, used when its telemetry carries no compliance.plan / compliance.data_class. */
public record OrgDefaults(Plan plan, DataClass dataClass) {
}

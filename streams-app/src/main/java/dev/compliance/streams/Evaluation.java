package dev.compliance.streams;

import dev.compliance.avro.Violation;
import dev.compliance.streams.retention.RetentionVerdict;
import dev.compliance.streams.rules.EventContext;

import java.util.List;

/** The verdict on one usage event: what it was judged against, the violations it raised, its retention. */
public record Evaluation(EventContext context, List<Violation> violations, RetentionVerdict retention) {
}

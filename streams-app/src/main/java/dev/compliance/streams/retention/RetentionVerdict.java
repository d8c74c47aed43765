package dev.compliance.streams.retention;

import dev.compliance.avro.RetentionKind;

import java.time.Instant;
import java.util.List;

/**
 * How long the vendor keeps an event's content, by the first matching retention row of the catalog.
 * {@code days}, {@code expiresAt} and {@code worstCaseExpiresAt} are null where there is no number or
 * date. {@code localTranscriptExpiresAt} is set for CLAUDE_CODE (the plaintext copy on the developer's
 * disk, seed 002).
 */
public record RetentionVerdict(RetentionKind kind, Integer days, Instant expiresAt, Instant worstCaseExpiresAt,
                               Instant localTranscriptExpiresAt, int row, List<String> citations) {
}

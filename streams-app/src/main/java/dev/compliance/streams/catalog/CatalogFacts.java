package dev.compliance.streams.catalog;

import dev.compliance.avro.RetentionKind;

import java.util.List;

/** Lines of the catalog that are documentation as well as data, for `compliance catalog` and the docs check (PolicyDocMatchesCatalogTest). */
public final class CatalogFacts {

    private CatalogFacts() {
    }

    /** One row of POLICY.md's retention table as the catalog states it; {@code days} is "org" for customRetentionDays, "-" for none. */
    public record RetentionRow(int row, String description, RetentionKind kind, String days, List<String> citations) {
    }

    /** What the vendor may keep beyond the content, with no date computed from it (seed 003: trust and safety scores, 7 years). */
    public record MetadataHold(String what, int years, List<String> citations) {

        /** The sentence evaluate --explain prints for every event. */
        public String sentence() {
            return what + " may be kept " + years + " years (seed " + String.join(", ", citations) + "); no date is computed from it";
        }
    }
}

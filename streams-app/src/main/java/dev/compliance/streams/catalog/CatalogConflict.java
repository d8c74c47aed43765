package dev.compliance.streams.catalog;

import java.util.List;

/**
 * One conflict between seeds that POLICY.md resolves ("Conflicts resolved"): both values with their
 * seeds, the one the catalog uses, and the citations. Lines of the catalog that follow it name its id.
 */
public record CatalogConflict(String id, String subject, String oneValue, String otherValue, String used,
                              List<String> citations) {

    /** The sentence stored on the catalog rows that follow this conflict. */
    public String note() {
        return subject + ": " + oneValue + " vs " + otherValue + "; used: " + used;
    }
}

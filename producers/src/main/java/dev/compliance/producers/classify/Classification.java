package dev.compliance.producers.classify;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the classifier found in a text: the data tags, the lowest data class the content deserves, and how many
 * findings of each kind ("aws-access-key": 1). It never holds the text or any matched part of it.
 *
 * @param floor the class the content must at least have; null when nothing was found
 */
public record Classification(Set<DataTag> tags, DataClass floor, Map<String, Integer> findings) {

    public static final Classification NOTHING = new Classification(Set.of(), null, Map.of());

    public Classification {
        tags = tags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(tags));
        findings = Map.copyOf(findings);
    }

    public boolean isEmpty() {
        return tags.isEmpty();
    }

    /** The declared class raised to this classification's floor. */
    public DataClass raise(DataClass declared) {
        return floor == null ? declared : DataClasses.max(declared, floor);
    }

    /** Tags in the enum's order, for a stable event. */
    public List<DataTag> sortedTags() {
        return tags.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(tags));
    }

    /** Both classifications together (several text fields of one record). */
    public Classification merge(Classification other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Set<DataTag> both = EnumSet.copyOf(tags);
        both.addAll(other.tags);
        Map<String, Integer> counts = new TreeMap<>(findings);
        other.findings.forEach((kind, n) -> counts.merge(kind, n, Integer::sum));
        DataClass higher = floor == null ? other.floor : other.floor == null ? floor : DataClasses.max(floor, other.floor);
        return new Classification(both, higher, counts);
    }
}

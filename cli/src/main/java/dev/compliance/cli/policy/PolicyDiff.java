package dev.compliance.cli.policy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.cli.policy.PolicyFile.Entry;
import dev.compliance.cli.policy.PolicyFile.Retirement;
import dev.compliance.cli.policy.PolicyFile.Version;
import dev.compliance.topics.Topics;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What applying a policy file would change on compliance.org-policies.
 *
 * <ul>
 *   <li>{@code NEW}: a version or retirement the topic does not have;</li>
 *   <li>{@code CORRECTED}: the topic has an entry at the same {@code (orgId, time)} with other content;</li>
 *   <li>{@code ONLY_ON_TOPIC}: the topic has it, the file does not. Apply leaves it: the topic is the
 *       policy history and is append-only. To end an org, add a retirement; to fix a version, correct
 *       it in the file.</li>
 * </ul>
 * Entries the topic already holds as the file says are unchanged: applying the same file twice
 * publishes nothing the second time.
 */
public record PolicyDiff(List<Change> changes, List<Entry> onlyOnTopic, int unchanged) {

    public enum Kind { NEW, CORRECTED }

    /** One entry to publish; {@code before} is the topic's entry it corrects, if any. */
    public record Change(Kind kind, Entry entry, Optional<Entry> before) {

        /** One line: what changes, where in the file. */
        public String describe() {
            String what;
            if (kind == Kind.CORRECTED) {
                what = "corrected: " + differences(before.orElseThrow(), entry);
            } else {
                what = entry instanceof Version ? "new version" : "retired from this time on (its events raise UNKNOWN_ORG)";
            }
            return String.format("%s %-20s %s  %s (line %d)", kind == Kind.NEW ? "+" : "~", entry.orgId(), entry.at(), what, entry.line());
        }
    }

    public static PolicyDiff between(PolicyFile file, PolicyHistory topic) {
        List<Change> changes = new ArrayList<>();
        int unchanged = 0;
        PolicyHistory wanted = PolicyHistory.fromEntries(file.entries());
        for (Entry entry : file.entries()) {
            Optional<Entry> existing = topic.at(entry.orgId(), entry.at());
            if (existing.isEmpty()) {
                changes.add(new Change(Kind.NEW, entry, existing));
            } else if (!sameContent(existing.get(), entry)) {
                changes.add(new Change(Kind.CORRECTED, entry, existing));
            } else {
                unchanged++;
            }
        }
        List<Entry> onlyOnTopic = topic.all().stream()
                .filter(e -> wanted.at(e.orgId(), e.at()).isEmpty())
                .toList();
        return new PolicyDiff(List.copyOf(changes), onlyOnTopic, unchanged);
    }

    /** The records that apply the changes: a version keyed by orgId at its effectiveFrom, a retirement as a tombstone at its time. */
    public List<ProducerRecord<String, OrgPolicy>> records() {
        return changes.stream().map(c -> new ProducerRecord<>(Topics.ORG_POLICIES.name(), null,
                c.entry().at().toEpochMilli(), c.entry().orgId(),
                c.entry() instanceof Version v ? v.policy() : null)).toList();
    }

    /** The summary line. */
    public String summary() {
        long added = changes.stream().filter(c -> c.kind() == Kind.NEW).count();
        return added + " new, " + (changes.size() - added) + " corrected, " + unchanged + " unchanged, "
                + onlyOnTopic.size() + " only on the topic (kept)";
    }

    private static boolean sameContent(Entry a, Entry b) {
        if (a instanceof Version va && b instanceof Version vb) {
            return va.policy().equals(vb.policy());
        }
        return a instanceof Retirement && b instanceof Retirement;
    }

    private static String differences(Entry before, Entry after) {
        if (before instanceof Version vb && after instanceof Version va) {
            List<String> fields = new ArrayList<>();
            for (Schema.Field f : OrgPolicy.getClassSchema().getFields()) {
                Object was = vb.policy().get(f.pos());
                Object now = va.policy().get(f.pos());
                if (!String.valueOf(was).equals(String.valueOf(now))) {
                    fields.add(f.name() + " " + was + " -> " + now);
                }
            }
            return String.join(", ", fields);
        }
        return before instanceof Version ? "the version becomes a retirement" : "the retirement becomes a version";
    }
}

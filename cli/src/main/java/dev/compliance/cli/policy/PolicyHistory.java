package dev.compliance.cli.policy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.cli.policy.PolicyFile.Entry;
import dev.compliance.cli.policy.PolicyFile.Retirement;
import dev.compliance.cli.policy.PolicyFile.Version;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every org's versions and retirements, as the pipeline's policy history (streams' PolicyHistory) holds them: per org, entries
 * ordered by time; for one {@code (orgId, time)} the last record written wins (a correction replaces
 * the version, exactly as a versioned store put with the same timestamp does).
 */
public final class PolicyHistory {

    private final Map<String, TreeMap<Instant, Entry>> byOrg = new TreeMap<>();

    private PolicyHistory() {
    }

    /** From the records of compliance.org-policies in offset order (a null value is a retirement at the record's time). */
    public static PolicyHistory fromTopic(List<ConsumerRecord<String, OrgPolicy>> records) {
        PolicyHistory history = new PolicyHistory();
        for (ConsumerRecord<String, OrgPolicy> r : records) {
            Entry entry = r.value() == null
                    ? new Retirement(0, r.key(), Instant.ofEpochMilli(r.timestamp()))
                    : new Version(0, r.value());
            history.add(entry);
        }
        return history;
    }

    /** From a file's entries (the history the file describes). */
    public static PolicyHistory fromEntries(Collection<? extends Entry> entries) {
        PolicyHistory history = new PolicyHistory();
        entries.forEach(history::add);
        return history;
    }

    private void add(Entry entry) {
        byOrg.computeIfAbsent(entry.orgId(), org -> new TreeMap<>()).put(entry.at(), entry);
    }

    public Collection<String> orgs() {
        return byOrg.keySet();
    }

    /** The org's entries, oldest first (empty for an org never seen). */
    public List<Entry> entries(String orgId) {
        return new ArrayList<>(byOrg.getOrDefault(orgId, new TreeMap<>()).values());
    }

    /** The entry at exactly {@code (orgId, at)}, if any. */
    public Optional<Entry> at(String orgId, Instant at) {
        return Optional.ofNullable(byOrg.getOrDefault(orgId, new TreeMap<>()).get(at));
    }

    /** Every entry of every org, by org then time. */
    public List<Entry> all() {
        List<Entry> all = new ArrayList<>();
        byOrg.values().forEach(versions -> all.addAll(versions.values()));
        return all;
    }

    /** The version in force at {@code time}: the latest entry at or before it, unless that is a retirement. */
    public Optional<OrgPolicy> inForce(String orgId, Instant time) {
        var floor = byOrg.getOrDefault(orgId, new TreeMap<>()).floorEntry(time);
        return floor != null && floor.getValue() instanceof Version v ? Optional.of(v.policy()) : Optional.empty();
    }

    /** Per org, the version in force at {@code time}, or null for an org retired (or not yet in force) then. */
    public Map<String, OrgPolicy> inForceAll(Instant time) {
        Map<String, OrgPolicy> result = new LinkedHashMap<>();
        byOrg.keySet().stream().sorted(Comparator.naturalOrder()).forEach(org -> result.put(org, inForce(org, time).orElse(null)));
        return result;
    }
}

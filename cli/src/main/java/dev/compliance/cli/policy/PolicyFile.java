package dev.compliance.cli.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.streams.OrgPolicyChecks;
import dev.compliance.whatif.JsonRecords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An org-policy file, the policies as code that people edit and review in git.
 *
 * <p>YAML ({@code .yaml}, {@code .yml}: a list of entries) or JSON Lines ({@code .jsonl}: one entry per
 * line). An entry is either
 * <ul>
 *   <li>a <b>version</b>: the fields of {@code OrgPolicy} (POLICY.md's names: orgId, effectiveFrom,
 *       zdrEnabled, baaSigned, ...; absent fields take the schema's default), in force from effectiveFrom
 *       until the org's next entry; or</li>
 *   <li>a <b>retirement</b>: {@code orgId} and {@code retiredFrom} only. From that time on the org has no
 *       policy and its events raise UNKNOWN_ORG (on the topic: a tombstone at that time).</li>
 * </ul>
 * {@code (orgId, effectiveFrom)} identifies a version: changing a version's fields in the file and
 * applying it again is a correction (the pipeline judges later events by the corrected version).
 *
 * <p>{@link #read} validates everything before anything is used: schema (unknown field, unknown plan,
 * types), {@link OrgPolicyChecks} (day ranges), and duplicate {@code (orgId, time)} entries. Every problem
 * is one line {@code FILE:LINE: message}.
 */
public final class PolicyFile {

    /** One entry of the file, at its line. */
    public sealed interface Entry permits Version, Retirement {
        String orgId();

        /** effectiveFrom of a version, retiredFrom of a retirement. */
        Instant at();

        int line();
    }

    public record Version(int line, OrgPolicy policy) implements Entry {
        @Override
        public String orgId() {
            return policy.getOrgId();
        }

        @Override
        public Instant at() {
            return policy.getEffectiveFrom();
        }
    }

    public record Retirement(int line, String orgId, Instant at) implements Entry {
    }

    /** The file has problems; {@link #problems()} has one {@code FILE:LINE: message} line each. */
    public static final class InvalidPolicyFileException extends RuntimeException {
        private final List<String> problems;

        InvalidPolicyFileException(List<String> problems) {
            super(problems.size() + " problem(s): " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    static final String RETIRED_FROM = "retiredFrom";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path path;
    private final List<Entry> entries;

    private PolicyFile(Path path, List<Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    public Path path() {
        return path;
    }

    /** The entries, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Reads and validates {@code path}.
     *
     * @throws InvalidPolicyFileException listing every problem, if there is any
     * @throws IllegalArgumentException   if the file cannot be read or its name says no known format
     */
    public static PolicyFile read(Path path) {
        List<Raw> raw = parse(path);
        List<String> problems = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Raw r : raw) {
            String where = path + ":" + r.line() + ": ";
            Entry entry;
            try {
                entry = toEntry(r);
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
                continue;
            }
            if (entry instanceof Version v) {
                OrgPolicyChecks.problems(v.policy()).forEach(p -> problems.add(where + p));
            }
            Integer earlier = seen.putIfAbsent(entry.orgId() + "@" + entry.at(), r.line());
            if (earlier != null) {
                problems.add(where + "duplicate entry for org '" + entry.orgId() + "' at " + entry.at()
                        + " (also line " + earlier + "): one version or retirement per (orgId, time)");
                continue;
            }
            entries.add(entry);
        }
        if (!problems.isEmpty()) {
            throw new InvalidPolicyFileException(problems);
        }
        return new PolicyFile(path, List.copyOf(entries));
    }

    private static Entry toEntry(Raw raw) {
        JsonNode json = raw.json();
        if (!json.isObject()) {
            throw new IllegalArgumentException("an entry must be a mapping of field names to values");
        }
        if (json.has(RETIRED_FROM)) {
            ObjectNode others = ((ObjectNode) json).deepCopy();
            others.remove(List.of("orgId", RETIRED_FROM));
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("a retirement has only orgId and retiredFrom, not " + others.properties().stream().map(Map.Entry::getKey).toList());
            }
            JsonNode org = json.get("orgId");
            if (org == null || !org.isTextual() || org.asText().isBlank()) {
                throw new IllegalArgumentException("a retirement needs the orgId it retires");
            }
            return new Retirement(raw.line(), org.asText(), instant(json.get(RETIRED_FROM), RETIRED_FROM));
        }
        OrgPolicy policy = JsonRecords.read(json, OrgPolicy.getClassSchema());
        return new Version(raw.line(), policy);
    }

    private static Instant instant(JsonNode value, String field) {
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "': '" + value.asText()
                    + "' is not an ISO-8601 instant such as 2026-05-01T00:00:00Z");
        }
    }

    /** A parsed entry and the line it starts on. */
    private record Raw(int line, JsonNode json) {
    }

    private static List<Raw> parse(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(path + ": no such file or not readable");
        }
        try {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return parseYaml(path);
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return parseJsonLines(path);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ":" + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage());
        }
        throw new IllegalArgumentException(path + ": a policy file is YAML (.yaml, .yml) or JSON Lines (.jsonl)");
    }

    private static List<Raw> parseYaml(Path path) throws IOException {
        List<Raw> entries = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(path.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return entries; // an empty file: no entries
            }
            if (first != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(path + ":" + parser.currentLocation().getLineNr()
                        + ": a YAML policy file is a list of entries (each starting with '- orgId: ...')");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int line = parser.currentTokenLocation().getLineNr();
                entries.add(new Raw(line, YAML.readTree(parser)));
            }
        }
        return entries;
    }

    private static List<Raw> parseJsonLines(Path path) throws IOException {
        List<Raw> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(path);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                entries.add(new Raw(i + 1, JSON.readTree(line)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(path + ":" + (i + 1) + ": not JSON: " + e.getOriginalMessage());
            }
        }
        return entries;
    }
}

package dev.compliance.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * An in-memory registry for unit tests, selected by a {@code mock://scope} URL. Every client of one scope sees the
 * same registry (as with Confluent's MockSchemaRegistry); {@link #drop(String)} forgets a scope. Ids are global
 * within the scope and reused across subjects; subjects default to BACKWARD compatibility.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Map<String, Registry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Registry registry;

    public InMemorySchemaRegistryClient(String scope) {
        this.scope = scope;
        this.registry = SCOPES.computeIfAbsent(scope, s -> new Registry());
    }

    /** Builds a client from a {@code mock://scope} URL. */
    public static InMemorySchemaRegistryClient forUrl(String url) {
        return new InMemorySchemaRegistryClient(url.substring(SerdeConfig.MOCK_SCHEME.length()));
    }

    /** Forgets everything registered in the scope (for tests). */
    public static void drop(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public String location() {
        return SerdeConfig.MOCK_SCHEME + scope;
    }

    @Override
    public int register(String subject, Schema schema) {
        synchronized (registry) {
            List<Integer> versions = registry.subjects.computeIfAbsent(subject, s -> new ArrayList<>());
            String key = schema.toString();
            Integer existing = registry.idsBySchema.get(key);
            if (existing != null && versions.contains(existing)) {
                return existing;
            }
            Compatibility check = check(subject, schema);
            if (!check.compatible()) {
                throw new IncompatibleSchemaException("schema registry " + location() + " refused the schema for subject '" + subject
                    + "' (409): Schema being registered is incompatible with an earlier schema; " + String.join("; ", check.messages()),
                    409, 409);
            }
            int id = existing != null ? existing : registry.idsBySchema.computeIfAbsent(key, k -> {
                int next = registry.schemasById.size() + 1;
                registry.schemasById.put(next, schema);
                return next;
            });
            versions.add(id);
            return id;
        }
    }

    @Override
    public int lookup(String subject, Schema schema) {
        synchronized (registry) {
            Integer id = registry.idsBySchema.get(schema.toString());
            if (id == null || !registry.subjects.getOrDefault(subject, List.of()).contains(id)) {
                throw new SchemaNotFoundException("schema " + schema.getFullName() + " is not registered under subject '" + subject
                    + "' in registry " + location() + " (and auto.register.schemas is false)", 404, 40403);
            }
            return id;
        }
    }

    @Override
    public Schema getById(int id) {
        synchronized (registry) {
            Schema schema = registry.schemasById.get(id);
            if (schema == null) {
                throw new SchemaNotFoundException("schema id " + id + " not found in registry " + location(), 404, 40403);
            }
            return schema;
        }
    }

    @Override
    public SchemaVersion latest(String subject) {
        synchronized (registry) {
            List<Integer> versions = registry.subjects.get(subject);
            if (versions == null || versions.isEmpty()) {
                throw new SchemaNotFoundException("subject '" + subject + "' not found in registry " + location(), 404, 40401);
            }
            int id = versions.get(versions.size() - 1);
            return new SchemaVersion(id, versions.size(), registry.schemasById.get(id));
        }
    }

    @Override
    public Compatibility testCompatibility(String subject, Schema schema) {
        synchronized (registry) {
            return check(subject, schema);
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String normalized = level.toUpperCase(Locale.ROOT);
        if (!List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE")
                .contains(normalized)) {
            throw new SchemaRegistryException("unknown compatibility level '" + level + "'", 422, 42203);
        }
        synchronized (registry) {
            registry.levels.put(subject, normalized);
        }
    }

    private Compatibility check(String subject, Schema candidate) {
        String level = registry.levels.getOrDefault(subject, "BACKWARD");
        List<Integer> versions = registry.subjects.getOrDefault(subject, List.of());
        if (versions.isEmpty() || level.equals("NONE")) {
            return new Compatibility(true, List.of());
        }
        List<Integer> against = level.endsWith("_TRANSITIVE") ? versions : List.of(versions.get(versions.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<String> messages = new ArrayList<>();
        for (int id : against) {
            Schema earlier = registry.schemasById.get(id);
            if (backward) {
                messages.addAll(problems(candidate, earlier, "new schema cannot read data written with schema id " + id));
            }
            if (forward) {
                messages.addAll(problems(earlier, candidate, "schema id " + id + " cannot read data written with the new schema"));
            }
        }
        return new Compatibility(messages.isEmpty(), List.copyOf(messages));
    }

    private static List<String> problems(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            out.add(what + ": " + i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")");
        }
        return out;
    }

    private static final class Registry {
        final Map<String, Integer> idsBySchema = new HashMap<>();
        final Map<Integer, Schema> schemasById = new HashMap<>();
        final Map<String, List<Integer>> subjects = new HashMap<>();
        final Map<String, String> levels = new HashMap<>();
    }
}

package dev.compliance.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API the serde needs. Implementations: {@link InMemorySchemaRegistryClient}
 * for {@code mock://} URLs and {@link HttpSchemaRegistryClient} for a real registry. Failures surface as
 * {@link SchemaRegistryException} (a Kafka {@code SerializationException}).
 */
public interface SchemaRegistryClient {

    /** A registered schema: its global id, its version within the subject and the schema itself. */
    record SchemaVersion(int id, int version, Schema schema) { }

    /** The outcome of a compatibility check; {@code messages} explains an incompatibility. */
    record Compatibility(boolean compatible, List<String> messages) { }

    /** Builds the client the configuration asks for: in-memory for {@code mock://scope}, HTTP otherwise. */
    static SchemaRegistryClient create(SerdeConfig config) {
        return config.isMock() ? InMemorySchemaRegistryClient.forUrl(config.urls().get(0)) : new HttpSchemaRegistryClient(config);
    }

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of a schema already registered under the subject; throws {@link SchemaNotFoundException} otherwise. */
    int lookup(String subject, Schema schema);

    /** Fetches a schema by global id; throws {@link SchemaNotFoundException} for an unknown id. */
    Schema getById(int id);

    /** The subject's latest version; throws {@link SchemaNotFoundException} when the subject has none. */
    SchemaVersion latest(String subject);

    /** Checks the schema against the subject's latest version under the subject's compatibility level. */
    Compatibility testCompatibility(String subject, Schema schema);

    /** Sets the subject's compatibility level (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FULL, ...). */
    void setCompatibility(String subject, String level);

    /** Where the registry is, for error messages (a URL, or mock://scope). */
    String location();
}

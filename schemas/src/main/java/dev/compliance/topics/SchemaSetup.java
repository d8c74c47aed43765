package dev.compliance.topics;

import dev.compliance.serde.SchemaRegistryClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Schemas are the contract: at start-up, every Avro topic's value subject is set to BACKWARD
 * compatibility and the schema this build was compiled with is registered. A build whose schema is
 * not BACKWARD compatible with what the registry already holds fails here, at deploy time, with the
 * registry's 409 and reason, instead of later on the first record.
 */
public final class SchemaSetup {

    public static final String COMPATIBILITY = "BACKWARD";

    private SchemaSetup() {
    }

    /** The same, with a registry client made from the serde settings (schema.registry.url, ...). */
    public static List<String> ensure(java.util.Map<String, ?> serdeConfig) {
        return ensure(SchemaRegistryClient.create(dev.compliance.serde.SerdeConfig.from(serdeConfig)));
    }

    /** Returns one line per subject: its name and registered id. */
    public static List<String> ensure(SchemaRegistryClient registry) {
        List<String> done = new ArrayList<>();
        for (Topics.Topic<?, ?> topic : Topics.ALL) {
            if (topic.valueSchema() == null) {
                continue;
            }
            registry.setCompatibility(topic.valueSubject(), COMPATIBILITY);
            int id = registry.register(topic.valueSubject(), topic.valueSchema());
            done.add(topic.valueSubject() + " id " + id);
        }
        return done;
    }
}

package dev.compliance.proofs;

import dev.compliance.avro.UsageEvent;
import dev.compliance.serde.SchemaRegistryClient;
import dev.compliance.serde.SerdeConfig;
import org.apache.avro.Schema;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Bad input, each of a kind a real producer can send: bytes that are not the wire format, Avro cut short,
 * a schema id the registry does not know, a wrong magic byte, an enum symbol the app's schema lacks (written
 * with a registered newer schema), an event without org, a key that is not the event's org, a tombstone.
 */
final class PoisonPills {

    static final List<String> KINDS = List.of("random bytes", "truncated Avro", "unknown schema id", "wrong magic byte",
            "unknown enum symbol", "missing org", "key is not the orgId", "no value (tombstone)");

    private static final String EXTRA_PLAN = "ULTRA";

    private final Scenario scenario;
    private final Random random;
    private final Schema extraPlanSchema;
    private final int extraPlanSchemaId;

    /**
     * Registers the writer schema with an extra Plan symbol in the real registry, as a producer ahead of the app
     * would. It goes under its own subject, so that it does not constrain later versions of the topic's subject
     * (the registry is shared by all proofs and checks BACKWARD compatibility); ids are global, the app fetches it by id.
     */
    PoisonPills(Scenario scenario, Random random) {
        this.scenario = scenario;
        this.random = random;
        this.extraPlanSchema = WireFormat.withExtraPlanSymbol(EXTRA_PLAN);
        this.extraPlanSchemaId = SchemaRegistryClient.create(SerdeConfig.from(scenario.serdeConfig))
                .register("proofs.producer-ahead-of-the-app-value", extraPlanSchema);
    }

    /** The n-th pill of a kind, made from a fresh event (whose id it takes). */
    Input.Sent make(String kind, UsageEvent e) {
        String id = e.getEventId() + "-pill";
        byte[] good = scenario.encode(e);
        String org = e.getOrgId();
        long ts = e.getEventTime().toEpochMilli();
        return switch (kind) {
            case "random bytes" -> {
                byte[] bytes = new byte[8 + random.nextInt(120)];
                random.nextBytes(bytes);
                bytes[0] = (byte) (1 + random.nextInt(255)); // never the wire format's magic byte
                yield pill(id, kind, org, bytes, ts);
            }
            case "truncated Avro" -> pill(id, kind, org, Arrays.copyOf(good, 5 + (good.length - 5) / 2), ts);
            case "unknown schema id" -> {
                byte[] bytes = good.clone();
                ByteBuffer.wrap(bytes, 1, 4).putInt(2_000_000_000 - random.nextInt(1000));
                yield pill(id, kind, org, bytes, ts);
            }
            case "wrong magic byte" -> {
                byte[] bytes = good.clone();
                bytes[0] = (byte) (1 + random.nextInt(255));
                yield pill(id, kind, org, bytes, ts);
            }
            case "unknown enum symbol" -> pill(id, kind, org, WireFormat.encode(extraPlanSchemaId, extraPlanSchema, e,
                    r -> r.put("plan", WireFormat.symbol(extraPlanSchema, "plan", EXTRA_PLAN))), ts);
            case "missing org" -> {
                UsageEvent noOrg = UsageEvent.newBuilder(e).setOrgId("").build();
                yield pill(id, kind, "", scenario.encode(noOrg), ts);
            }
            case "key is not the orgId" -> pill(id, kind, org + "-other", good, ts);
            case "no value (tombstone)" -> pill(id, kind, org, null, ts);
            default -> throw new IllegalArgumentException("no such pill: " + kind);
        };
    }

    private static Input.Sent pill(String id, String kind, String key, byte[] value, long ts) {
        return new Input.Sent(id, kind, false, key, value, ts);
    }
}

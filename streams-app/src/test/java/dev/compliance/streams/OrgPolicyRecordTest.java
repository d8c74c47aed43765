package dev.compliance.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.ClassificationProfile;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static dev.compliance.avro.ViolationCode.OUTSIDE_ZDR_SCOPE;
import static dev.compliance.avro.ViolationCode.SENSITIVE_WITHOUT_ZDR;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The org policy record on its way into the policy history (POLICY.md v2, "Org policy"): days outside
 * 1..3650 are refused to the dead-letter topic and the previous version stays in force; a record written
 * with the schema before v2 (no classificationProfile, no foundryAbuseMonitoringOptOut) is read with
 * their defaults and judged.
 */
class OrgPolicyRecordTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    private dev.compliance.avro.UsageEvent sensitiveEnterpriseCowork() {
        return pipeline.send(pipeline.event("acme", Plan.ENTERPRISE, Feature.COWORK, DataClass.SENSITIVE)
                .setEventTime(Instant.parse("2026-04-01T00:00:00Z")));
    }

    @Test
    void shouldRefuseCustomRetentionDaysAbove3650ToTheDeadLetterTopicAndKeepThePreviousVersion() {
        pipeline.given(org("acme").setEffectiveFrom(JAN).setZdrEnabled(false));
        pipeline.given(org("acme").setEffectiveFrom(MAR).setZdrEnabled(true).setCustomRetentionDays(36500));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON))
                .contains("customRetentionDays 36500 is outside 1..3650");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.STAGE)).isEqualTo("check-org-policy-ranges");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo("compliance.org-policies");
        assertThat(pipeline.driver.metrics().entrySet()).anySatisfy(m -> {
            assertThat(m.getKey().group()).isEqualTo("stream-compliance-metrics");
            assertThat(m.getKey().name()).isEqualTo("refused-total");
            assertThat(m.getKey().tags()).containsEntry("compliance-id", ComplianceTopology.REFUSED_POLICIES);
            assertThat(m.getValue().metricValue()).isEqualTo(1.0);
        });
        // January's record (no ZDR) is still the one in force in April
        assertThat(pipeline.codesOf(sensitiveEnterpriseCowork())).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void shouldRefuseLocalTranscriptDaysBelowOne() {
        pipeline.given(org("acme").setEffectiveFrom(JAN).setLocalTranscriptDays(0));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON))
                .contains("localTranscriptDays 0 is outside 1..3650");
    }

    @Test
    void shouldPutARecordWithDaysAtTheEdgesOfTheRangeInForce() {
        pipeline.given(org("acme").setEffectiveFrom(JAN).setZdrEnabled(false));
        pipeline.given(org("acme").setEffectiveFrom(MAR).setZdrEnabled(true).setCustomRetentionDays(3650).setLocalTranscriptDays(1));

        assertThat(pipeline.deadLetters.readRecordsToList()).isEmpty();
        assertThat(pipeline.codesOf(sensitiveEnterpriseCowork())).containsExactly(OUTSIDE_ZDR_SCOPE);
    }

    @Test
    void shouldReadAndJudgeARecordWrittenWithTheSchemaBeforeVersion2() throws Exception {
        Schema old = schemaBeforeV2();
        int id = new InMemorySchemaRegistryClient(pipeline.scope).register("compliance.org-policies-value", old);
        pipeline.rawPolicies.pipeInput(new TestRecord<>("acme", wire(id, old, acmeWithZdr(old)), JAN));

        assertThat(pipeline.deadLetters.readRecordsToList()).isEmpty();
        var violations = pipeline.violations;
        var e = sensitiveEnterpriseCowork();
        var raised = violations.readValuesToList().stream().filter(v -> v.getEventId().equals(e.getEventId())).toList();
        assertThat(raised).extracting(v -> v.getCode()).containsExactly(OUTSIDE_ZDR_SCOPE);
        assertThat(raised.get(0).getOrgPolicyVersion()).isEqualTo(JAN);
    }

    @Test
    void shouldGiveTheNewFieldsTheirDefaultsInARecordOfTheOldSchema() throws Exception {
        Schema old = schemaBeforeV2();
        var reader = new org.apache.avro.specific.SpecificDatumReader<OrgPolicy>(old, OrgPolicy.getClassSchema());
        byte[] framed = wire(1, old, acmeWithZdr(old));
        byte[] body = java.util.Arrays.copyOfRange(framed, 5, framed.length);

        OrgPolicy read = reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(body, null));

        assertThat(read.getClassificationProfile()).isEqualTo(ClassificationProfile.STANDARD);
        assertThat(read.getFoundryAbuseMonitoringOptOut()).isFalse();
    }

    /** acme's record with ZDR enabled, in the given (old) schema. */
    private static GenericData.Record acmeWithZdr(Schema old) {
        GenericData.Record record = new GenericData.Record(old);
        record.put("orgId", "acme");
        record.put("effectiveFrom", JAN.toEpochMilli());
        record.put("zdrEnabled", true);
        record.put("baaSigned", false);
        record.put("developmentPartnerProgram", false);
        record.put("allowedPlans", List.of());
        record.put("customRetentionDays", null);
        record.put("localTranscriptDays", 30);
        return record;
    }

    /** OrgPolicy as it was before POLICY.md v2: without the two appended fields. */
    static Schema schemaBeforeV2() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(OrgPolicy.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) root.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            String name = fields.get(i).get("name").asText();
            if (name.equals("classificationProfile") || name.equals("foundryAbuseMonitoringOptOut")) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(root.toString());
    }

    private static byte[] wire(int id, Schema schema, GenericData.Record record) throws Exception {
        var out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

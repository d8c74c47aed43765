package dev.compliance.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.compliance.streams.PipelineFixture.T0;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

class OcsfFindingTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void shouldWriteEachViolationAsAnOcsfComplianceFindingWithTheRequiredAttributes() throws Exception {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.INTERNAL, DataTag.CREDENTIALS));

        var records = pipeline.findings.readRecordsToList();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("acme");
        JsonNode f = new ObjectMapper().readTree(records.get(0).value());
        assertThat(f.path("class_uid").asInt()).isEqualTo(2003);
        assertThat(f.path("category_uid").asInt()).isEqualTo(2);
        assertThat(f.path("activity_id").asInt()).isEqualTo(1);
        assertThat(f.path("type_uid").asInt()).isEqualTo(200301);
        assertThat(f.path("severity_id").asInt()).isEqualTo(5);
        assertThat(f.path("time").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(f.path("metadata").path("version").asText()).isEqualTo("1.8.0");
        assertThat(f.path("metadata").path("product").path("name").asText()).isNotBlank();
        assertThat(f.path("metadata").path("product").path("version").asText()).isNotBlank();
        assertThat(f.path("finding_info").path("uid").asText()).isEqualTo(e.getEventId() + ":CREDENTIALS_EXPOSED");
        assertThat(f.path("finding_info").path("title").asText()).startsWith("CREDENTIALS_EXPOSED");
        assertThat(f.path("compliance").path("status_id").asInt()).isEqualTo(3);
        assertThat(f.path("compliance").path("control").asText()).isEqualTo("CREDENTIALS_EXPOSED");
        assertThat(f.path("actor").path("user").path("org").path("uid").asText()).isEqualTo("acme");
    }

    @Test
    void shouldNameThePersonAsActorAndTheInstallationAsDevice() throws Exception {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CLAUDE_CODE, DataClass.INTERNAL, DataTag.CREDENTIALS)
                .setDeviceId("a1b2c3"));

        var violation = pipeline.violations.readValuesToList().get(0);
        JsonNode f = new ObjectMapper().readTree(pipeline.findings.readValuesToList().get(0));

        assertThat(violation.getDeviceId()).isEqualTo("a1b2c3");
        assertThat(violation.getMessage()).doesNotContain("Only the device is known");
        assertThat(f.path("actor").path("user").path("uid").asText()).isEqualTo("alice@acme.example");
        assertThat(f.path("device").path("uid").asText()).isEqualTo("a1b2c3");
        assertThat(f.path("metadata").path("profiles").toString()).contains("host");
    }

    @Test
    void shouldSayWhenOnlyTheDeviceIsKnown() throws Exception {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CLAUDE_CODE, DataClass.INTERNAL, DataTag.CREDENTIALS)
                .setUserId("unknown").setDeviceId("a1b2c3"));

        var violation = pipeline.violations.readValuesToList().get(0);
        JsonNode f = new ObjectMapper().readTree(pipeline.findings.readValuesToList().get(0));

        assertThat(violation.getMessage()).endsWith("Only the device is known (deviceId a1b2c3), not the person who used it.");
        assertThat(f.path("message").asText()).contains("Only the device is known");
        assertThat(f.path("device").path("uid").asText()).isEqualTo("a1b2c3");
    }

    @Test
    void shouldLeaveTheDeviceOutWhenTheSourceNamesNone() throws Exception {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.INTERNAL, DataTag.CREDENTIALS));

        JsonNode f = new ObjectMapper().readTree(pipeline.findings.readValuesToList().get(0));

        assertThat(f.has("device")).isFalse();
        assertThat(f.path("metadata").has("profiles")).isFalse();
    }

    @Test
    void shouldMapEverySeverityToOcsf() {
        assertThat(dev.compliance.streams.ocsf.OcsfComplianceFinding.severityIdOf(dev.compliance.avro.Severity.LOW)).isEqualTo(2);
        assertThat(dev.compliance.streams.ocsf.OcsfComplianceFinding.severityIdOf(dev.compliance.avro.Severity.MEDIUM)).isEqualTo(3);
        assertThat(dev.compliance.streams.ocsf.OcsfComplianceFinding.severityIdOf(dev.compliance.avro.Severity.HIGH)).isEqualTo(4);
        assertThat(dev.compliance.streams.ocsf.OcsfComplianceFinding.severityIdOf(dev.compliance.avro.Severity.CRITICAL)).isEqualTo(5);
    }
}

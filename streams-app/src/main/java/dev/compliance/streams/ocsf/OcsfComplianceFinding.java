package dev.compliance.streams.ocsf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.compliance.avro.Severity;
import dev.compliance.avro.Violation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A violation as an OCSF 1.8 Compliance Finding (class_uid 2003, category Findings, activity Create),
 * the JSON that Splunk, Elastic and Sentinel OCSF pipelines ingest. Deterministic: the same violation
 * always gives the same JSON (time is the event's time, not the processing time).
 */
public final class OcsfComplianceFinding {

    public static final String OCSF_VERSION = "1.8.0";
    public static final String PRODUCT_NAME = "Claude usage compliance pipeline";
    public static final String PRODUCT_VERSION = "0.1.0";
    static final int CLASS_UID = 2003;
    static final int CATEGORY_UID = 2;
    static final int ACTIVITY_CREATE = 1;
    static final int COMPLIANCE_STATUS_FAIL = 3;

    /** Thread-safe, and reused: each call only creates its generator. */
    private static final JsonFactory JSON = new JsonFactory();

    private OcsfComplianceFinding() {
    }

    /**
     * The finding, written field by field to one string (a streaming writer: no tree of nodes per violation;
     * the profile of issue 15 found the tree at 12 % of the stream thread). Fields come in the order below,
     * always, with Jackson's default escaping.
     */
    public static String toJson(Violation v) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the OCSF finding of " + v.getViolationId(), e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Violation v) throws IOException {
        g.writeStartObject();
        g.writeNumberField("class_uid", CLASS_UID);
        g.writeStringField("class_name", "Compliance Finding");
        g.writeNumberField("category_uid", CATEGORY_UID);
        g.writeStringField("category_name", "Findings");
        g.writeNumberField("activity_id", ACTIVITY_CREATE);
        g.writeStringField("activity_name", "Create");
        g.writeNumberField("type_uid", CLASS_UID * 100 + ACTIVITY_CREATE);
        g.writeStringField("type_name", "Compliance Finding: Create");
        g.writeNumberField("severity_id", severityIdOf(v.getSeverity()));
        g.writeStringField("severity", caption(v.getSeverity()));
        g.writeNumberField("status_id", 1);
        g.writeStringField("status", "New");
        g.writeNumberField("time", v.getEventTime().toEpochMilli());
        g.writeStringField("message", v.getMessage());

        g.writeObjectFieldStart("metadata");
        g.writeStringField("version", OCSF_VERSION);
        g.writeStringField("uid", v.getViolationId());
        g.writeStringField("log_name", "compliance.findings.ocsf");
        g.writeObjectFieldStart("product");
        g.writeStringField("name", PRODUCT_NAME);
        g.writeStringField("vendor_name", "claude-compliance");
        g.writeStringField("version", PRODUCT_VERSION);
        g.writeEndObject();
        if (v.getDeviceId() != null) {
            g.writeArrayFieldStart("profiles");
            g.writeString("host");
            g.writeEndArray();
        }
        g.writeEndObject();

        g.writeObjectFieldStart("finding_info");
        g.writeStringField("uid", v.getViolationId());
        g.writeStringField("title", v.getCode() + ": " + v.getPlan() + " " + v.getFeature() + " (" + v.getEffectiveClass() + ")");
        g.writeStringField("desc", v.getMessage());
        g.writeArrayFieldStart("types");
        g.writeString(v.getCode().name());
        g.writeEndArray();
        g.writeNumberField("created_time", v.getEventTime().toEpochMilli());
        g.writeArrayFieldStart("data_sources");
        g.writeString(v.getSource().name());
        g.writeEndArray();
        g.writeEndObject();

        g.writeObjectFieldStart("compliance");
        g.writeStringField("control", v.getCode().name());
        g.writeNumberField("status_id", COMPLIANCE_STATUS_FAIL);
        g.writeStringField("status", "Fail");
        g.writeArrayFieldStart("standards");
        g.writeString("Claude usage policy (POLICY.md)");
        g.writeEndArray();
        g.writeArrayFieldStart("requirements");
        for (String c : v.getCitations()) {
            g.writeString("seed " + c);
        }
        g.writeEndArray();
        g.writeEndObject();

        // actor.user is the person; device.uid the installation it came from (the Host profile's Device object).
        // When only the device is known, actor.user.uid is "unknown" and the message says so (Rules).
        g.writeObjectFieldStart("actor");
        g.writeObjectFieldStart("user");
        g.writeStringField("uid", v.getUserId());
        g.writeObjectFieldStart("org");
        g.writeStringField("uid", v.getOrgId());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        if (v.getDeviceId() != null) {
            g.writeObjectFieldStart("device");
            g.writeStringField("uid", v.getDeviceId());
            g.writeNumberField("type_id", 0);
            g.writeStringField("type", "Unknown");
            g.writeEndObject();
        }

        g.writeArrayFieldStart("resources");
        g.writeStartObject();
        g.writeStringField("uid", v.getEventId());
        g.writeStringField("type", "Claude usage event");
        g.writeObjectFieldStart("data");
        g.writeStringField("plan", v.getPlan().name());
        g.writeStringField("feature", v.getFeature().name());
        g.writeStringField("data_class", v.getDataClass().name());
        g.writeStringField("effective_class", v.getEffectiveClass().name());
        g.writeArrayFieldStart("data_tags");
        for (var t : v.getDataTags()) {
            g.writeString(t.name());
        }
        g.writeEndArray();
        g.writeStringField("catalog_row", v.getCatalogRow());
        g.writeStringField("catalog_version", v.getCatalogVersion());
        if (v.getOrgPolicyVersion() != null) {
            g.writeStringField("org_policy_version", v.getOrgPolicyVersion().toString());
        }
        if (v.getSessionId() != null) {
            g.writeStringField("session_id", v.getSessionId());
        }
        if (v.getResourceId() != null) {
            g.writeStringField("resource_id", v.getResourceId());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    /** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
    public static int severityIdOf(Severity s) {
        return switch (s) {
            case LOW -> 2;
            case MEDIUM -> 3;
            case HIGH -> 4;
            case CRITICAL -> 5;
        };
    }

    private static String caption(Severity s) {
        return s.name().charAt(0) + s.name().substring(1).toLowerCase();
    }
}

package dev.compliance.streams.ocsf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.Severity;
import dev.compliance.avro.Violation;

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

    private static final ObjectMapper JSON = new ObjectMapper();

    private OcsfComplianceFinding() {
    }

    public static String toJson(Violation v) {
        return of(v).toString();
    }

    public static ObjectNode of(Violation v) {
        ObjectNode f = JSON.createObjectNode();
        f.put("class_uid", CLASS_UID);
        f.put("class_name", "Compliance Finding");
        f.put("category_uid", CATEGORY_UID);
        f.put("category_name", "Findings");
        f.put("activity_id", ACTIVITY_CREATE);
        f.put("activity_name", "Create");
        f.put("type_uid", CLASS_UID * 100 + ACTIVITY_CREATE);
        f.put("type_name", "Compliance Finding: Create");
        f.put("severity_id", severityIdOf(v.getSeverity()));
        f.put("severity", caption(v.getSeverity()));
        f.put("status_id", 1);
        f.put("status", "New");
        f.put("time", v.getEventTime().toEpochMilli());
        f.put("message", v.getMessage());

        ObjectNode metadata = f.putObject("metadata");
        metadata.put("version", OCSF_VERSION);
        metadata.put("uid", v.getViolationId());
        metadata.put("log_name", "compliance.findings.ocsf");
        ObjectNode product = metadata.putObject("product");
        product.put("name", PRODUCT_NAME);
        product.put("vendor_name", "claude-compliance");
        product.put("version", PRODUCT_VERSION);

        ObjectNode info = f.putObject("finding_info");
        info.put("uid", v.getViolationId());
        info.put("title", v.getCode() + ": " + v.getPlan() + " " + v.getFeature() + " (" + v.getEffectiveClass() + ")");
        info.put("desc", v.getMessage());
        info.putArray("types").add(v.getCode().name());
        info.put("created_time", v.getEventTime().toEpochMilli());
        info.putArray("data_sources").add(v.getSource().name());

        ObjectNode compliance = f.putObject("compliance");
        compliance.put("control", v.getCode().name());
        compliance.put("status_id", COMPLIANCE_STATUS_FAIL);
        compliance.put("status", "Fail");
        compliance.putArray("standards").add("Claude usage policy (POLICY.md)");
        ArrayNode requirements = compliance.putArray("requirements");
        v.getCitations().forEach(c -> requirements.add("seed " + c));

        // actor.user is the person; device.uid the installation it came from (the Host profile's Device object).
        // When only the device is known, actor.user.uid is "unknown" and the message says so (Rules).
        ObjectNode user = f.putObject("actor").putObject("user");
        user.put("uid", v.getUserId());
        user.putObject("org").put("uid", v.getOrgId());
        if (v.getDeviceId() != null) {
            ObjectNode device = f.putObject("device");
            device.put("uid", v.getDeviceId());
            device.put("type_id", 0);
            device.put("type", "Unknown");
            metadata.putArray("profiles").add("host");
        }

        ObjectNode resource = f.putArray("resources").addObject();
        resource.put("uid", v.getEventId());
        resource.put("type", "Claude usage event");
        ObjectNode data = resource.putObject("data");
        data.put("plan", v.getPlan().name());
        data.put("feature", v.getFeature().name());
        data.put("data_class", v.getDataClass().name());
        data.put("effective_class", v.getEffectiveClass().name());
        ArrayNode tags = data.putArray("data_tags");
        v.getDataTags().forEach(t -> tags.add(t.name()));
        data.put("catalog_row", v.getCatalogRow());
        data.put("catalog_version", v.getCatalogVersion());
        if (v.getOrgPolicyVersion() != null) {
            data.put("org_policy_version", v.getOrgPolicyVersion().toString());
        }
        if (v.getSessionId() != null) {
            data.put("session_id", v.getSessionId());
        }
        if (v.getResourceId() != null) {
            data.put("resource_id", v.getResourceId());
        }
        return f;
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

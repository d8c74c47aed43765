package dev.compliance.producers.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.classify.Classification;
import dev.compliance.producers.classify.ContentClassifier;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns Claude Code's OpenTelemetry log events into usage events, as Claude Code 2.1.x really sends them (see the
 * recorded payloads in producers/src/test/resources/otlp/claude-code-2.1.197/ and Claude Code's monitoring docs,
 * https://code.claude.com/docs/en/monitoring-usage).
 *
 * <ul>
 *   <li>{@code claude_code.user_prompt}: one USE event, feature CLAUDE_CODE (the prompt is content sent).</li>
 *   <li>{@code claude_code.tool_result} of an MCP tool: one USE event, feature MCP_INTEGRATION (content went to a
 *       third-party server). Claude Code names every MCP tool {@code mcp_tool} and puts the server and tool in
 *       {@code tool_parameters} ({@code {"mcp_server_name":…,"mcp_tool_name":…}}) plus an {@code mcp_server_scope}
 *       attribute. Other tool results stay inside the Claude Code session and are not counted again.</li>
 *   <li>{@code claude_code.api_request}: a USE event with requestCount 1 only when {@code countApiRequests} is on
 *       (each request re-sends the conversation, so by default the prompt is what is counted).</li>
 *   <li>Every other record (tool_decision, api_error, assistant_response, other services' logs) is accepted and
 *       ignored.</li>
 * </ul>
 * Identity: {@code userId} is the person ({@code user.account_uuid}, else {@code user.email}; 'unknown' for an
 * API-key user, who has neither), {@code deviceId} the install hash {@code user.id}. The org is the caller's token's
 * ({@link Caller}); without tokens, {@code organization.id}, else the configured default org. The resource attributes
 * {@code compliance.plan} and {@code compliance.data_class} override the token's defaults, except that a record
 * cannot declare a lower data class than its token's.
 * Text attributes ({@code prompt}, {@code tool_parameters}, {@code tool_input}, a text body) are classified and then
 * dropped: the event carries only the tags and the raised data class. A record that cannot be mapped becomes a
 * {@link Refusal} carrying its attributes without those texts.
 */
public class OtlpLogMapper {

    static final String USER_PROMPT = "claude_code.user_prompt";
    static final String TOOL_RESULT = "claude_code.tool_result";
    static final String API_REQUEST = "claude_code.api_request";
    public static final String PLAN_ATTRIBUTE = "compliance.plan";
    public static final String DATA_CLASS_ATTRIBUTE = "compliance.data_class";
    private static final List<String> TEXT_ATTRIBUTES = List.of("prompt", "tool_parameters", "tool_input");
    /** Attributes that carry what the user or the model wrote: never copied anywhere. */
    static final Set<String> CONTENT_ATTRIBUTES = Set.of("prompt", "response", "tool_parameters", "tool_input", "error");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERRORS_REPORTED = 5;

    private final OtlpOptions options;
    private final ContentClassifier classifier;

    public OtlpLogMapper(OtlpOptions options, ContentClassifier classifier) {
        this.options = options;
        this.classifier = classifier;
    }

    /** The outcome of one export request. */
    public record Result(List<UsageEvent> events, long records, long ignored, List<Refusal> refusals) {

        public long rejected() {
            return refusals.size();
        }

        /** The partial_success error message: how many were rejected and the first few reasons. */
        public String errorMessage() {
            if (refusals.isEmpty()) {
                return "";
            }
            return refusals.size() + " log record(s) rejected: " + String.join("; ",
                    refusals.stream().limit(MAX_ERRORS_REPORTED).map(Refusal::message).toList());
        }
    }

    /** Maps the records of an unauthenticated request. */
    public Result map(ExportLogsServiceRequest request) {
        return map(request, Caller.UNAUTHENTICATED);
    }

    public Result map(ExportLogsServiceRequest request, Caller caller) {
        List<UsageEvent> events = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        long records = 0;
        long ignored = 0;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Map<String, String> resource = attributes(resourceLogs.getResource().getAttributesList());
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    records++;
                    Map<String, String> attributes = new HashMap<>(resource);
                    attributes.putAll(attributes(record.getAttributesList()));
                    String name = eventName(record, attributes);
                    try {
                        UsageEvent event = map(record, attributes, name, caller);
                        if (event == null) {
                            ignored++;
                        } else {
                            events.add(event);
                        }
                    } catch (Unmappable e) {
                        refusals.add(new Refusal(e.cause, name + ": " + e.getMessage(), name, e.orgId,
                                withoutContent(attributes)));
                    }
                }
            }
        }
        return new Result(List.copyOf(events), records, ignored, List.copyOf(refusals));
    }

    private UsageEvent map(LogRecord record, Map<String, String> attributes, String name, Caller caller) {
        Feature feature;
        Long requestCount = null;
        switch (name) {
            case USER_PROMPT -> feature = Feature.CLAUDE_CODE;
            case TOOL_RESULT -> {
                if (!isMcp(attributes)) {
                    return null;
                }
                feature = Feature.MCP_INTEGRATION;
            }
            case API_REQUEST -> {
                if (!options.countApiRequests()) {
                    return null;
                }
                feature = Feature.CLAUDE_CODE;
                requestCount = 1L;
            }
            default -> {
                return null;
            }
        }
        String orgId = orgId(attributes, caller);
        String userId = firstOf(attributes, "user.account_uuid", "user.email");
        String deviceId = firstOf(attributes, "user.id");
        if (userId == null && deviceId == null) {
            throw new Unmappable(Refusal.Cause.NO_IDENTITY, orgId,
                    "no user.account_uuid, user.email or user.id attribute: no person or device to attribute it to");
        }
        OrgDefaults defaults = caller.authenticated() && caller.defaults() != null ? caller.defaults()
                : options.orgDefaults().get(orgId);
        Plan plan = plan(attributes.get(PLAN_ATTRIBUTE), defaults, orgId);
        DataClass declared = dataClass(attributes.get(DATA_CLASS_ATTRIBUTE), defaults, orgId);
        if (caller.authenticated() && defaults != null && defaults.dataClass() != null
                && declared.compareTo(defaults.dataClass()) < 0) {
            declared = defaults.dataClass(); // a machine may declare a higher class than its token's, never a lower one
        }
        Classification found = Classification.NOTHING;
        for (String key : TEXT_ATTRIBUTES) {
            found = found.merge(classifier.classify(attributes.get(key)));
        }
        if (record.getBody().hasStringValue() && !record.getBody().getStringValue().equals(name)) {
            found = found.merge(classifier.classify(record.getBody().getStringValue()));
        }
        Instant time = eventTime(record, attributes, orgId);
        return UsageEvent.newBuilder()
                .setEventId(eventId(name, orgId, time, record, attributes))
                .setEventTime(time)
                .setOrgId(orgId)
                .setUserId(userId == null ? "unknown" : userId)
                .setPlan(plan)
                .setFeature(feature)
                .setDataClass(found.raise(declared))
                .setDataTags(found.sortedTags())
                .setAction(Action.USE)
                .setSessionId(attributes.get("session.id"))
                .setSource(EventSource.CLAUDE_CODE_OTEL)
                .setRequestCount(requestCount)
                .setDeviceId(deviceId)
                .build();
    }

    /** The org of a record: its token's (a different organization.id is refused), else its own, else the default. */
    private String orgId(Map<String, String> attributes, Caller caller) {
        String claimed = firstOf(attributes, "organization.id");
        if (caller.authenticated()) {
            if (claimed != null && !claimed.equals(caller.orgId())) {
                throw new Unmappable(Refusal.Cause.ORG_MISMATCH, caller.orgId(), "organization.id '" + claimed
                        + "' is not the org of the token it was sent with");
            }
            return caller.orgId();
        }
        String orgId = claimed != null ? claimed : options.defaultOrgId();
        if (orgId == null) {
            throw new Unmappable(Refusal.Cause.NO_ORG, null,
                    "no organization.id attribute, no token and no default org configured");
        }
        return orgId;
    }

    /**
     * An MCP tool call, as Claude Code 2.1 reports it: {@code tool_parameters} names an {@code mcp_server_name} or
     * {@code mcp_tool_name}, or the record has an {@code mcp_server_scope}.
     */
    static boolean isMcp(Map<String, String> attributes) {
        String scope = attributes.get("mcp_server_scope");
        if (scope != null && !scope.isBlank()) {
            return true;
        }
        String parameters = attributes.get("tool_parameters");
        if (parameters == null || !parameters.trim().startsWith("{")) {
            return false;
        }
        try {
            JsonNode tree = JSON.readTree(parameters);
            return tree.hasNonNull("mcp_server_name") || tree.hasNonNull("mcp_tool_name");
        } catch (IOException e) {
            return false;
        }
    }

    /** The attributes a dead letter may keep: everything but the texts. */
    static Map<String, String> withoutContent(Map<String, String> attributes) {
        Map<String, String> kept = new TreeMap<>(attributes);
        kept.keySet().removeAll(CONTENT_ATTRIBUTES);
        return kept;
    }

    private Plan plan(String declared, OrgDefaults defaults, String orgId) {
        if (declared != null && !declared.isBlank()) {
            try {
                return Plan.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Unmappable(Refusal.Cause.UNKNOWN_PLAN, orgId, "unknown " + PLAN_ATTRIBUTE + " '" + declared + "' (expected one of "
                        + List.of(Plan.values()) + ")");
            }
        }
        return defaults != null && defaults.plan() != null ? defaults.plan() : options.defaultPlan();
    }

    private DataClass dataClass(String declared, OrgDefaults defaults, String orgId) {
        if (declared != null && !declared.isBlank()) {
            try {
                return DataClass.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Unmappable(Refusal.Cause.UNKNOWN_DATA_CLASS, orgId, "unknown " + DATA_CLASS_ATTRIBUTE + " '" + declared
                        + "' (expected one of " + List.of(DataClass.values()) + ")");
            }
        }
        return defaults != null && defaults.dataClass() != null ? defaults.dataClass() : options.defaultDataClass();
    }

    private static String eventName(LogRecord record, Map<String, String> attributes) {
        if (!record.getEventName().isEmpty()) {
            return record.getEventName();
        }
        String name = attributes.get("event.name");
        if (name != null) {
            return name.startsWith("claude_code.") ? name : "claude_code." + name;
        }
        return record.getBody().hasStringValue() ? record.getBody().getStringValue() : "";
    }

    private static Instant eventTime(LogRecord record, Map<String, String> attributes, String orgId) {
        String timestamp = attributes.get("event.timestamp");
        if (timestamp != null) {
            try {
                return Instant.parse(timestamp);
            } catch (DateTimeParseException e) {
                // fall back to the record's own times below
            }
        }
        long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
        if (nanos == 0) {
            throw new Unmappable(Refusal.Cause.NO_TIME, orgId, "no event.timestamp, timeUnixNano or observedTimeUnixNano");
        }
        return Instant.ofEpochSecond(0, nanos);
    }

    /** The same log record (a retried export) always gets the same id; different records get different ids. */
    private static String eventId(String name, String orgId, Instant time, LogRecord record, Map<String, String> a) {
        String identity = String.join("|", name, orgId, String.valueOf(a.get("session.id")),
                String.valueOf(a.get("prompt.id")), String.valueOf(a.get("event.sequence")), time.toString(),
                Long.toString(record.getTimeUnixNano()), String.valueOf(a.get("tool_name")),
                String.valueOf(a.get("tool_use_id")), String.valueOf(a.get("request_id")));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "otel-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> map = new HashMap<>();
        for (KeyValue kv : keyValues) {
            String value = text(kv.getValue());
            if (value != null) {
                map.put(kv.getKey(), value);
            }
        }
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> null;
        };
    }

    private static String firstOf(Map<String, String> attributes, String... keys) {
        for (String key : keys) {
            String value = attributes.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** A record of a counted kind that lacks what an event needs. */
    static final class Unmappable extends RuntimeException {
        final Refusal.Cause cause;
        final String orgId;

        Unmappable(Refusal.Cause cause, String orgId, String message) {
            super(message, null, false, false);
            this.cause = cause;
            this.orgId = orgId;
        }
    }
}

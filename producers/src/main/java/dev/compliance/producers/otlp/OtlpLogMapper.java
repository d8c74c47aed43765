package dev.compliance.producers.otlp;

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

/**
 * Turns Claude Code's OpenTelemetry log events into usage events.
 *
 * <ul>
 *   <li>{@code claude_code.user_prompt}: one USE event, feature CLAUDE_CODE (the prompt is content sent).</li>
 *   <li>{@code claude_code.tool_result} of an MCP tool ({@code tool_name} starting with {@code mcp__}, or an
 *       {@code mcp_server_scope} attribute): one USE event, feature MCP_INTEGRATION (content went to a third-party
 *       server). Other tool results stay inside the Claude Code session and are not counted again.</li>
 *   <li>{@code claude_code.api_request}: a USE event with requestCount 1 only when {@code countApiRequests} is on
 *       (each request re-sends the conversation, so by default the prompt is what is counted).</li>
 *   <li>Every other record (tool_decision, api_error, other services' logs) is accepted and ignored.</li>
 * </ul>
 * Text attributes ({@code prompt}, {@code tool_parameters}, {@code tool_input}, a text body) are classified and then
 * dropped: the event carries only the tags and the raised data class.
 */
public class OtlpLogMapper {

    static final String USER_PROMPT = "claude_code.user_prompt";
    static final String TOOL_RESULT = "claude_code.tool_result";
    static final String API_REQUEST = "claude_code.api_request";
    public static final String PLAN_ATTRIBUTE = "compliance.plan";
    public static final String DATA_CLASS_ATTRIBUTE = "compliance.data_class";
    private static final List<String> TEXT_ATTRIBUTES = List.of("prompt", "tool_parameters", "tool_input");
    private static final int MAX_ERRORS_REPORTED = 5;

    private final OtlpOptions options;
    private final ContentClassifier classifier;

    public OtlpLogMapper(OtlpOptions options, ContentClassifier classifier) {
        this.options = options;
        this.classifier = classifier;
    }

    /** The outcome of one export request. */
    public record Result(List<UsageEvent> events, long records, long ignored, long rejected, String errorMessage) {
    }

    public Result map(ExportLogsServiceRequest request) {
        List<UsageEvent> events = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long records = 0;
        long ignored = 0;
        long rejected = 0;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Map<String, String> resource = attributes(resourceLogs.getResource().getAttributesList());
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    records++;
                    try {
                        UsageEvent event = map(record, resource);
                        if (event == null) {
                            ignored++;
                        } else {
                            events.add(event);
                        }
                    } catch (Unmappable e) {
                        rejected++;
                        if (errors.size() < MAX_ERRORS_REPORTED) {
                            errors.add(e.getMessage());
                        }
                    }
                }
            }
        }
        String message = rejected == 0 ? "" : rejected + " log record(s) rejected: " + String.join("; ", errors);
        return new Result(List.copyOf(events), records, ignored, rejected, message);
    }

    private UsageEvent map(LogRecord record, Map<String, String> resource) {
        Map<String, String> attributes = new HashMap<>(resource);
        attributes.putAll(attributes(record.getAttributesList()));
        String name = eventName(record, attributes);
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
        String orgId = firstOf(attributes, "organization.id");
        if (orgId == null) {
            orgId = options.defaultOrgId();
        }
        if (orgId == null) {
            throw new Unmappable(name + ": no organization.id attribute and no default org configured");
        }
        OrgDefaults defaults = options.orgDefaults().get(orgId);
        Plan plan = plan(attributes.get(PLAN_ATTRIBUTE), defaults, name);
        DataClass declared = dataClass(attributes.get(DATA_CLASS_ATTRIBUTE), defaults, name);
        Classification found = Classification.NOTHING;
        for (String key : TEXT_ATTRIBUTES) {
            found = found.merge(classifier.classify(attributes.get(key)));
        }
        if (record.getBody().hasStringValue() && !record.getBody().getStringValue().equals(name)) {
            found = found.merge(classifier.classify(record.getBody().getStringValue()));
        }
        Instant time = eventTime(record, attributes, name);
        String userId = firstOf(attributes, "user.account_uuid", "user.email", "user.id");
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
                .build();
    }

    static boolean isMcp(Map<String, String> attributes) {
        String tool = attributes.get("tool_name");
        String scope = attributes.get("mcp_server_scope");
        return (tool != null && tool.startsWith("mcp__")) || (scope != null && !scope.isBlank());
    }

    private Plan plan(String declared, OrgDefaults defaults, String name) {
        if (declared != null && !declared.isBlank()) {
            try {
                return Plan.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Unmappable(name + ": unknown " + PLAN_ATTRIBUTE + " '" + declared + "' (expected one of "
                        + List.of(Plan.values()) + ")");
            }
        }
        return defaults != null && defaults.plan() != null ? defaults.plan() : options.defaultPlan();
    }

    private DataClass dataClass(String declared, OrgDefaults defaults, String name) {
        if (declared != null && !declared.isBlank()) {
            try {
                return DataClass.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Unmappable(name + ": unknown " + DATA_CLASS_ATTRIBUTE + " '" + declared
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

    private static Instant eventTime(LogRecord record, Map<String, String> attributes, String name) {
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
            throw new Unmappable(name + ": no event.timestamp, timeUnixNano or observedTimeUnixNano");
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
        Unmappable(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.compliance.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a SpecificRecord from a JSON object whose fields are the schema's names: enums as strings,
 * timestamps as ISO-8601, nested records as JSON objects read by their own schema (a usage-report event's
 * {@code apiUsage}), optional fields may be absent (the schema default applies). Anything else is refused with a
 * message naming the field, by its path for a nested one ({@code apiUsage.outputTokens}).
 */
public final class JsonRecords {

    private JsonRecords() {
    }

    public static <T extends SpecificRecordBase> T read(JsonNode json, Schema schema) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return read(json, schema, "");
    }

    /** {@code json} (an object) as a record of {@code schema}; {@code path} prefixes the field names in messages. */
    private static <T extends SpecificRecordBase> T read(JsonNode json, Schema schema, String path) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new IllegalArgumentException("unknown field '" + path + name + "' (" + schema.getName() + " has "
                        + schema.getFields().stream().map(Schema.Field::name).toList() + ")");
            }
        }
        @SuppressWarnings("unchecked")
        T record = (T) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = json.get(field.name());
            Object converted;
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException("missing field '" + path + field.name() + "'");
                }
                converted = fromDefault(field.defaultVal(), field.schema(), path + field.name());
            } else {
                converted = convert(value, field.schema(), path + field.name());
            }
            record.put(field.pos(), converted);
        }
        return record;
    }

    private static Object fromDefault(Object defaultVal, Schema schema, String name) {
        if (defaultVal == null || defaultVal == JsonProperties.NULL_VALUE) {
            return null;
        }
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().get(0);
        }
        return switch (schema.getType()) {
            case ENUM -> enumValue(schema, defaultVal.toString(), name);
            case ARRAY -> new ArrayList<>((List<?>) defaultVal);
            case MAP -> Map.copyOf((Map<?, ?>) defaultVal);
            default -> defaultVal;
        };
    }

    private static Object convert(JsonNode value, Schema schema, String name) {
        if (schema.getType() == Schema.Type.UNION) {
            if (value.isNull()) {
                if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                    return null;
                }
                throw new IllegalArgumentException("field '" + name + "' must not be null");
            }
            Schema nonNull = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            return convert(value, nonNull, name);
        }
        if (value.isNull()) {
            throw new IllegalArgumentException("field '" + name + "' must not be null");
        }
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("field '" + name + "': '" + value.asText() + "' is not an ISO-8601 instant such as 2026-05-01T12:00:00Z");
            }
        }
        return switch (schema.getType()) {
            case STRING -> requireText(value, name);
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("field '" + name + "' must be true or false");
                }
                yield value.booleanValue();
            }
            case INT -> {
                if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                    throw new IllegalArgumentException("field '" + name + "' must be a whole number");
                }
                yield value.intValue();
            }
            case LONG -> {
                if (!value.isIntegralNumber()) {
                    throw new IllegalArgumentException("field '" + name + "' must be a whole number");
                }
                yield value.longValue();
            }
            case ENUM -> enumValue(schema, requireText(value, name), name);
            case ARRAY -> {
                if (!value.isArray()) {
                    throw new IllegalArgumentException("field '" + name + "' must be a JSON array");
                }
                List<Object> items = new ArrayList<>();
                value.forEach(item -> items.add(convert(item, schema.getElementType(), name)));
                yield items;
            }
            case RECORD -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException("field '" + name + "' must be a JSON object");
                }
                yield read(value, schema, name + ".");
            }
            default -> throw new IllegalArgumentException("field '" + name + "' has an unsupported type " + schema.getType());
        };
    }

    private static String requireText(JsonNode value, String name) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string");
        }
        return value.asText();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Schema schema, String symbol, String name) {
        if (!schema.getEnumSymbols().contains(symbol)) {
            throw new IllegalArgumentException("field '" + name + "': unknown " + schema.getName() + " '" + symbol
                    + "' (expected one of " + schema.getEnumSymbols() + ")");
        }
        Class type = SpecificData.get().getClass(schema);
        return Enum.valueOf(type, symbol);
    }
}

package dev.compliance.producers.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * OTLP/HTTP encodings: binary protobuf, and OTLP/JSON (the protobuf JSON mapping with lowerCamelCase names, except
 * that trace and span ids are hex, not base64). Responses go out in the request's encoding.
 */
final class OtlpCodec {

    enum Encoding {
        PROTOBUF("application/x-protobuf"), JSON("application/json");

        final String contentType;

        Encoding(String contentType) {
            this.contentType = contentType;
        }

        /** The encoding of a Content-Type header, or null when OTLP/HTTP does not define it. */
        static Encoding of(String contentType) {
            if (contentType == null) {
                return null;
            }
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            return switch (mediaType) {
                case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
                case "application/json" -> JSON;
                default -> null;
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpCodec() {
    }

    static ExportLogsServiceRequest decodeLogs(byte[] body, Encoding encoding) throws IOException {
        return decode(body, encoding, ExportLogsServiceRequest.newBuilder());
    }

    static ExportMetricsServiceRequest decodeMetrics(byte[] body, Encoding encoding) throws IOException {
        return decode(body, encoding, ExportMetricsServiceRequest.newBuilder());
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message> M decode(byte[] body, Encoding encoding, Message.Builder builder)
            throws IOException {
        if (encoding == Encoding.PROTOBUF) {
            return (M) builder.mergeFrom(body).build();
        }
        JsonNode tree = JSON.readTree(body);
        if (tree == null || !tree.isObject()) {
            throw new InvalidProtocolBufferException("the body is not a JSON object");
        }
        hexIdsToBase64(tree);
        PARSER.merge(JSON.writeValueAsString(tree), builder);
        return (M) builder.build();
    }

    static byte[] encode(Message message, Encoding encoding) {
        if (encoding == Encoding.PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print an OTLP response", e);
        }
    }

    /** A google.rpc.Status {code, message}, the body OTLP/HTTP sends with an error status. */
    static byte[] status(int grpcCode, String message, Encoding encoding) {
        if (encoding == Encoding.JSON) {
            ObjectNode node = JSON.createObjectNode().put("code", grpcCode).put("message", message);
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, grpcCode);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a status", e);
        }
    }

    /** OTLP/JSON writes traceId and spanId as hex; the protobuf JSON parser expects base64 for bytes fields. */
    private static void hexIdsToBase64(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                if ((key.equals("traceId") || key.equals("spanId")) && value.isTextual()) {
                    field.setValue(JSON.getNodeFactory().textNode(hexToBase64(value.asText())));
                } else {
                    hexIdsToBase64(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(OtlpCodec::hexIdsToBase64);
        }
    }

    private static String hexToBase64(String hex) {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}

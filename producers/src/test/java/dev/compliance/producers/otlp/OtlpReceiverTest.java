package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.PlantedText;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.Resources;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.producers.sink.MemorySink;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemorySink<UsageEvent> sink = new MemorySink<>();
    private final MemorySink<DeadLetter> deadLetters = new MemorySink<>();
    private OtlpReceiver receiver;
    private int port;

    private void start(OtlpOptions options, RecordSink<UsageEvent> target) {
        receiver = new OtlpReceiver(options.withAddress("127.0.0.1", 0).withGrpcPort(-1), target, deadLetters);
        port = receiver.start();
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private HttpResponse<byte[]> post(String path, String contentType, String contentEncoding, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void acceptsOtlpJsonAndReportsRejectedRecordsAsPartialSuccess() throws Exception {
        start(OtlpOptions.defaults(), sink);
        HttpResponse<byte[]> response = post("/v1/logs", "application/json", null,
                Resources.bytes("otlp/claude-code-logs.json"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/partialSuccess/rejectedLogRecords").asText()).isEqualTo("1");
        assertThat(body.at("/partialSuccess/errorMessage").asText()).contains("no organization.id");
        assertThat(sink.records()).hasSize(2);
        assertThat(sink.flushes()).isEqualTo(1);
        assertThat(receiver.summary()).isEqualTo("1 requests, 7 log records: 2 events sent, 4 ignored, 1 rejected; 0 metric points");
        PlantedText.assertAbsent(sink.records(), OtlpLogMapperTest.PLANTED);
    }

    @Test
    void acceptsGzippedProtobufAndAnswersInProtobuf() throws Exception {
        start(OtlpOptions.defaults(), sink);
        HttpResponse<byte[]> response = post("/v1/logs", "application/x-protobuf", "gzip",
                gzip(Resources.bytes("otlp/claude-code-logs.pb")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        ExportLogsServiceResponse parsed = ExportLogsServiceResponse.parseFrom(response.body());
        assertThat(parsed.hasPartialSuccess()).isFalse();
        assertThat(sink.records()).hasSize(2);
        PlantedText.assertAbsent(sink.records(), OtlpLogMapperTest.PLANTED);
    }

    @Test
    void aRetriedExportRepeatsTheSameEventIds() throws Exception {
        start(OtlpOptions.defaults(), sink);
        byte[] body = Resources.bytes("otlp/claude-code-logs.pb");
        post("/v1/logs", "application/x-protobuf", null, body);
        post("/v1/logs", "application/x-protobuf", null, body);
        var ids = sink.records().stream().map(UsageEvent::getEventId).toList();
        assertThat(ids).hasSize(4);
        assertThat(ids.subList(2, 4)).isEqualTo(ids.subList(0, 2));
    }

    @Test
    void refusesOtherMethodsContentTypesAndEncodings() throws Exception {
        start(OtlpOptions.defaults(), sink);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<byte[]> text = post("/v1/logs", "text/plain", null, "hello".getBytes());
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(new String(text.body())).contains("application/x-protobuf or application/json");

        HttpResponse<byte[]> brotli = post("/v1/logs", "application/json", "br", "{}".getBytes());
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(sink.records()).isEmpty();
    }

    @Test
    void answersBadRequestWithAStatusInTheRequestEncoding() throws Exception {
        start(OtlpOptions.defaults(), sink);
        HttpResponse<byte[]> badJson = post("/v1/logs", "application/json; charset=utf-8", null, "{\"resourceLogs\": [".getBytes());
        assertThat(badJson.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(badJson.body());
        assertThat(status.get("code").asInt()).isEqualTo(3);
        assertThat(status.get("message").asText()).startsWith("cannot decode the body");

        HttpResponse<byte[]> badProto = post("/v1/logs", "application/x-protobuf", null, new byte[] {0x0A, (byte) 0xFF});
        assertThat(badProto.statusCode()).isEqualTo(400);
        CodedInputStream in = CodedInputStream.newInstance(badProto.body());
        assertThat(in.readTag()).isEqualTo(8); // field 1, varint: code
        assertThat(in.readInt32()).isEqualTo(3);
        assertThat(in.readTag()).isEqualTo(18); // field 2, length-delimited: message
        assertThat(in.readString()).startsWith("cannot decode the body");

        HttpResponse<byte[]> badGzip = post("/v1/logs", "application/x-protobuf", "gzip", "not gzip".getBytes());
        assertThat(badGzip.statusCode()).isEqualTo(400);
    }

    @Test
    void refusesABodyOverTheLimit() throws Exception {
        OtlpOptions small = new OtlpOptions("127.0.0.1", 0, -1, null, OtlpOptions.defaults().defaultPlan(),
                OtlpOptions.defaults().defaultDataClass(), java.util.Map.of(), null, false, 1024);
        start(small, sink);
        HttpResponse<byte[]> response = post("/v1/logs", "application/json", null,
                Resources.bytes("otlp/claude-code-logs.json"));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void answersUnavailableWhenKafkaDoesNotTakeTheEvents() throws Exception {
        RecordSink<UsageEvent> failing = new MemorySink<>() {
            @Override
            public void flush() {
                throw new SourceException("sending to compliance.usage-events at localhost:9092 failed: timed out");
            }
        };
        start(OtlpOptions.defaults(), failing);
        HttpResponse<byte[]> response = post("/v1/logs", "application/json", null,
                Resources.bytes("otlp/claude-code-logs.json"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("timed out");
    }

    @Test
    void acceptsMetricsAndTraces() throws Exception {
        start(OtlpOptions.defaults(), sink);
        assertThat(post("/v1/metrics", "application/x-protobuf", null, new byte[0]).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> traces = post("/v1/traces", "application/json", null, "{}".getBytes());
        assertThat(traces.statusCode()).isEqualTo(200);
        assertThat(new String(traces.body())).isEqualTo("{}");
        assertThat(sink.records()).isEmpty();
    }

    @Test
    void aTakenPortGivesAClearMessage() {
        start(OtlpOptions.defaults(), sink);
        OtlpReceiver second = new OtlpReceiver(OtlpOptions.defaults().withAddress("127.0.0.1", port).withGrpcPort(-1),
                sink, deadLetters);
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("otlp: cannot listen on 127.0.0.1:" + port);
    }

    @Test
    void runReportsTheAddressAndTheTotalsAndStopsOnTheSignal() throws Exception {
        dev.compliance.producers.StopSignal stop = new dev.compliance.producers.StopSignal();
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        OtlpReceiver running = new OtlpReceiver(OtlpOptions.defaults().withAddress("127.0.0.1", 0).withGrpcPort(0),
                sink, deadLetters);
        Thread thread = new Thread(() -> running.run(stop, lines::add, java.time.Duration.ofMillis(50)));
        thread.start();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            thread.join(20);
        }
        assertThat(lines.get(0)).matches("OTLP receiver listening on http://127\\.0\\.0\\.1:\\d+/v1/logs"
                + " and grpc://127\\.0\\.0\\.1:\\d+; counters on http://127\\.0\\.0\\.1:\\d+/metrics");
        while (lines.size() < 2 && System.nanoTime() < deadline) {
            thread.join(20);
        }
        assertThat(lines.get(1)).isEqualTo("UNAUTHENTICATED (no --tokens-file): anyone who reaches these ports can write;"
                + " records are attributed by organization.id, else refused (no --default-org); default plan API,"
                + " data class INTERNAL");
        port = Integer.parseInt(lines.get(0).replaceAll(".*:(\\d+)/v1/logs.*", "$1"));
        assertThat(post("/v1/logs", "application/x-protobuf", null, Resources.bytes("otlp/claude-code-logs.pb"))
                .statusCode()).isEqualTo(200);
        stop.stop();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("stopped; 1 requests, 3 log records: 2 events sent, 1 ignored, 0 rejected; 0 metric points");
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}

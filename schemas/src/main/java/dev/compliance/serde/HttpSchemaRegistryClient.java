package dev.compliance.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (also served by Apicurio Registry at {@code /apis/ccompat/v7}).
 * Caches ids and schemas; retries connection failures and 5xx answers with exponential backoff, trying the
 * configured URLs in turn; maps 404 to {@link SchemaNotFoundException} and 409 to {@link IncompatibleSchemaException}.
 */
public class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls = new ArrayList<>();
    private final Optional<String> authorization;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(SerdeConfig config) {
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI uri = URI.create(url);
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = urlUserInfo != null ? urlUserInfo : decode(uri.getRawUserInfo());
                url = url.replace(uri.getRawUserInfo() + "@", "");
            }
            baseUrls.add(url);
        }
        String userInfo = config.credentialsSource().equals("URL") ? urlUserInfo : config.userInfo();
        this.authorization = userInfo == null || userInfo.isEmpty() ? Optional.empty()
            : Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        this.maxAttempts = config.maxAttempts();
        this.backoff = config.backoff();
        this.timeout = config.requestTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String location() {
        return String.join(",", baseUrls);
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).computeIfAbsent(schema, s -> {
            JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(s),
                "register a schema under subject '" + subject + "'");
            int id = answer.path("id").asInt();
            schemasById.putIfAbsent(id, s);
            return id;
        });
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).computeIfAbsent(schema, s -> {
            JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(s),
                "look up schema " + s.getFullName() + " under subject '" + subject + "'");
            return answer.path("id").asInt();
        });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, i -> {
            JsonNode answer = call("GET", "/schemas/ids/" + i, null, "fetch schema id " + i);
            return parse(answer, "schema id " + i);
        });
    }

    @Override
    public SchemaVersion latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
            "fetch the latest schema of subject '" + subject + "'");
        int id = answer.path("id").asInt();
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(answer, "subject '" + subject + "'"));
        return new SchemaVersion(id, answer.path("version").asInt(), schema);
    }

    @Override
    public Compatibility testCompatibility(String subject, Schema schema) {
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema), "test compatibility with subject '" + subject + "'");
            List<String> messages = new ArrayList<>();
            answer.path("messages").forEach(m -> messages.add(m.asText()));
            if (answer.hasNonNull("reason")) {
                messages.add(answer.get("reason").asText()); // Apicurio explains in "reason" rather than "messages"
            }
            return new Compatibility(answer.path("is_compatible").asBoolean(), List.copyOf(messages));
        } catch (SchemaNotFoundException e) {
            // no earlier version under the subject: nothing to be incompatible with
            return new Compatibility(true, List.of());
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + encode(subject), body.toString(), "set compatibility of subject '" + subject + "'");
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO").toString();
    }

    private static Schema parse(JsonNode answer, String what) {
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("registry answer for " + what + " holds no schema", 200, -1);
        }
        return new Schema.Parser().parse(text);
    }

    /**
     * One REST call: retried on connection failures and 5xx, with exponential backoff, cycling through the URLs.
     * A 4xx answer is final and mapped to an exception carrying the registry's own message.
     */
    private JsonNode call(String method, String path, String body, String what) {
        String lastProblem = "no attempt made";
        Throwable lastCause = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(1L << Math.min(attempt - 2, 10)));
            }
            String base = baseUrls.get((attempt - 1) % baseUrls.size());
            HttpResponse<String> response;
            try {
                response = http.send(request(method, base + path, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastProblem = SerdeErrors.describe(e);
                lastCause = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling schema registry at " + base + " to " + what, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return readJson(response.body());
            }
            JsonNode error = readJson(response.body());
            int errorCode = error.path("error_code").asInt(-1);
            String message = SerdeErrors.oneLine(error.path("message").asText(response.body()));
            if (status >= 500) {
                lastProblem = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
                lastCause = null;
                continue;
            }
            throw failure(base, status, errorCode, message, what);
        }
        String message = "schema registry at " + location() + " unreachable after " + maxAttempts + " attempt"
            + (maxAttempts == 1 ? "" : "s") + " (trying to " + what + "): " + lastProblem;
        throw new RegistryUnavailableException(message, lastCause);
    }

    private SchemaRegistryException failure(String base, int status, int errorCode, String message, String what) {
        String code = errorCode >= 0 ? ", error_code " + errorCode : "";
        if (status == 404 && what.startsWith("fetch schema id")) {
            return new SchemaNotFoundException(what.substring("fetch ".length()) + " not found in registry " + base
                + " (404" + code + "): " + message, status, errorCode);
        }
        if (status == 404) {
            return new SchemaNotFoundException("schema registry at " + base + " could not " + what + " (404" + code + "): " + message,
                status, errorCode);
        }
        if (status == 409) {
            return new IncompatibleSchemaException("schema registry at " + base + " refused to " + what + " (409" + code + "): "
                + message, status, errorCode);
        }
        if (status == 401 || status == 403) {
            return new SchemaRegistryException("schema registry at " + base + " refused the credentials (" + status + code
                + "): check " + SerdeConfig.BASIC_AUTH_USER_INFO + " / " + SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                + (message.isEmpty() ? "" : "; " + message), status, errorCode);
        }
        return new SchemaRegistryException("schema registry at " + base + " could not " + what + " (" + status + code + "): " + message,
            status, errorCode);
    }

    private HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private static JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    /** Waits out a retry backoff (on a timer thread, so the waiting thread stays interruptible by join's caller). */
    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)).join();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String userInfo) {
        return java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
    }
}

package dev.compliance.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compliance.avro.UsageEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client's own behaviour (headers, retries, error mapping) checked against a scripted local HTTP server.
 * The registry itself is exercised for real in {@code SchemaRegistryIT}.
 */
class HttpSchemaRegistryClientTest {

    private record Answer(int status, String body) { }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        exchange.getRequestBody().readAllBytes();
        Answer answer = script.isEmpty() ? new Answer(500, "{\"error_code\":50001,\"message\":\"script exhausted\"}") : script.poll();
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private HttpSchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, base(),
            SerdeConfig.BACKOFF_MS, 1, SerdeConfig.MAX_ATTEMPTS, 3));
        config.putAll(extra);
        return new HttpSchemaRegistryClient(SerdeConfig.from(config));
    }

    @Test
    void sendsBasicAuthFromUserInfo() {
        script.add(new Answer(200, "{\"id\":7}"));
        int id = client(Map.of(SerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret")).register("t-value", UsageEvent.getClassSchema());

        assertThat(id).isEqualTo(7);
        assertThat(authorizations).containsExactly(
            "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(contentTypes).containsExactly("application/vnd.schemaregistry.v1+json");
        assertThat(paths).containsExactly("POST /subjects/t-value/versions");
    }

    @Test
    void sendsBasicAuthFromTheUrlWhenTheSourceIsUrl() {
        script.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));
        String url = base().replace("http://", "http://bob:pw@");
        HttpSchemaRegistryClient client = client(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url,
            SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL"));

        assertThat(client.getById(3).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
        assertThat(authorizations).containsExactly("Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(client.location()).isEqualTo(base()).doesNotContain("pw");
    }

    @Test
    void sendsNoAuthorizationWithoutCredentials() {
        script.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));
        client(Map.of()).getById(1);
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void cachesSchemasById() {
        script.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));
        HttpSchemaRegistryClient client = client(Map.of());
        client.getById(1);
        client.getById(1);
        assertThat(paths).containsExactly("GET /schemas/ids/1");
    }

    @Test
    void retriesServerErrorsThenSucceeds() {
        script.add(new Answer(503, "{\"error_code\":50301,\"message\":\"busy\"}"));
        script.add(new Answer(500, "oops"));
        script.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));

        client(Map.of()).getById(1);

        assertThat(paths).hasSize(3);
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsNamingTheUrl() {
        assertThatThrownBy(() -> client(Map.of()).getById(1))
            .isInstanceOf(RegistryUnavailableException.class)
            .hasMessage("schema registry at " + base() + " unreachable after 3 attempts (trying to fetch schema id 1): "
                + "HTTP 500: script exhausted");
        assertThat(paths).hasSize(3);
    }

    @Test
    void unknownIdIsSchemaNotFound() {
        script.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 9999 not found\"}"));
        assertThatThrownBy(() -> client(Map.of()).getById(9999))
            .isInstanceOf(SchemaNotFoundException.class)
            .hasMessage("schema id 9999 not found in registry " + base() + " (404, error_code 40403): Schema 9999 not found")
            .satisfies(e -> assertThat(((SchemaNotFoundException) e).errorCode()).isEqualTo(40403));
        assertThat(paths).hasSize(1);
    }

    @Test
    void conflictIsIncompatibleSchemaWithTheRegistrysMessage() {
        script.add(new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
        assertThatThrownBy(() -> client(Map.of()).register("t-value", UsageEvent.getClassSchema()))
            .isInstanceOf(IncompatibleSchemaException.class)
            .hasMessageContaining("409")
            .hasMessageContaining("Schema being registered is incompatible")
            .hasMessageContaining("subject 't-value'");
    }

    @Test
    void rejectedCredentialsSayWhichSettingToCheck() {
        script.add(new Answer(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        assertThatThrownBy(() -> client(Map.of()).getById(1))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("refused the credentials (401")
            .hasMessageContaining(SerdeConfig.BASIC_AUTH_USER_INFO);
    }

    @Test
    void failsOverToTheNextUrl() {
        script.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));
        String dead = "http://127.0.0.1:" + closedPort();
        HttpSchemaRegistryClient client = client(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, dead + "," + base()));

        assertThat(client.getById(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
    }

    @Test
    void subjectsAreUrlEncoded() {
        script.add(new Answer(200, "{\"compatibility\":\"NONE\"}"));
        client(Map.of()).setCompatibility("a b/c-value", "NONE");
        assertThat(paths).containsExactly("PUT /config/a%20b%2Fc-value");
    }

    static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

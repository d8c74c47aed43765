package dev.compliance.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.compliance.cli.runtime.HealthServer;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.query.LedgerAnswers;
import dev.compliance.streams.query.LedgerQueries;
import dev.compliance.streams.query.RetentionExposure;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's REST API, on the port of {@code /health} and {@code /metrics} (described by
 * {@code /api/openapi.json}, served beside it):
 * <ul>
 *   <li>{@code GET /api/orgs[?q=TEXT]}: the orgs seen, searched by a part of their id;</li>
 *   <li>{@code GET /api/orgs/{org}/retention[?at=DAY]}: what the vendor holds of the org's content at the end of
 *       DAY (default today, UTC), its schedule, worst case and five-year exposure; the held rows paginated;</li>
 *   <li>{@code GET /api/orgs/{org}/violations[?from=DAY&to=DAY]}: counts by code x day from the rollups;</li>
 *   <li>{@code GET /api/violations/recent[?org=ORG]}: the most recent violations, newest first.</li>
 * </ul>
 * Lists come as {@code {"items":[...],"page":P,"size":S,"total":N}} ({@code page} from 1, {@code size} at most
 * 500). A bad request gets a 4xx and {@code {"error":"one line"}}, never a stack trace. Any instance answers for
 * any org: it asks the owner ({@link StreamsOwners}) and relays its answer; the lists merge every instance's part.
 * With {@code compliance.api.token} set, every call needs {@code Authorization: Bearer TOKEN}; the listener is
 * the health endpoint's, loopback unless {@code compliance.health.host} says otherwise.
 */
public final class LedgerApi implements HttpHandler {

    public static final String TOKEN = "compliance.api.token";
    /** Marks a call from another instance: answer from this instance's stores only. */
    static final String FORWARDED = "X-Compliance-Forwarded";
    static final int MAX_RECENT_PAGE = 200;
    private static final System.Logger LOG = System.getLogger(LedgerApi.class.getName());
    static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerQueries queries;
    private final Owners owners;
    private final String token;
    private final Clock clock;
    private final Duration history;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LedgerApi(LedgerQueries queries, Owners owners, String token, Clock clock, Duration history) {
        this.queries = queries;
        this.owners = owners;
        this.token = token == null || token.isBlank() ? null : token;
        this.clock = clock;
        this.history = history;
    }

    /** An API over given stores on one instance (a benchmark, a test harness). */
    public static LedgerApi alone(LedgerQueries queries, String token, Clock clock, Duration history) {
        return new LedgerApi(queries, Owners.ALONE, token, clock, history);
    }

    /**
     * Mounts the API, and the console at {@code /}, on the health endpoint of a running app. {@code application.server} (host:port of this
     * instance's endpoint) is needed only with several instances; without it every question is answered here.
     */
    public static LedgerApi mount(HealthServer server, KafkaStreams streams, Map<String, ?> settings) {
        LedgerQueries queries = new LedgerQueries(new LedgerQueries.Stores() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }
        });
        Object server0 = settings.get("application.server");
        Owners owners = server0 == null || server0.toString().isBlank() ? Owners.ALONE
                : new StreamsOwners(streams, HostInfo.buildFromEndpoint(server0.toString().trim()));
        Object token = settings.get(TOKEN);
        LedgerApi api = new LedgerApi(queries, owners, token == null ? null : token.toString(), Clock.systemUTC(),
                ComplianceConfig.from(settings).ledgerHistory());
        server.register("/api/", api);
        Console.mount(server);
        return api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Response response;
        try {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                throw new ApiError(405, exchange.getRequestMethod() + " is not allowed: the API only reads (GET)");
            }
            authorize(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED);
            response = route(exchange.getRequestURI(), forwarded);
        } catch (ApiError e) {
            response = error(e.status, e.getMessage());
        } catch (InvalidStateStoreException e) {
            response = error(503, "the stores are not queryable right now (" + e.getMessage() + "); try again");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "API call " + exchange.getRequestURI() + " failed", e);
            response = error(500, "internal error: " + e.getClass().getSimpleName() + " (see the app's log)");
        }
        send(exchange, response);
    }

    /** A status and a JSON body. */
    record Response(int status, String body) {
    }

    Response route(URI uri, boolean forwarded) {
        ApiRequest r = ApiRequest.of(uri);
        List<String> s = r.segments;
        if (s.equals(List.of("openapi.json"))) {
            return new Response(200, openApi());
        }
        if (s.equals(List.of("orgs"))) {
            return ok(orgs(r, forwarded));
        }
        if (s.size() == 3 && s.get(0).equals("orgs") && (s.get(2).equals("retention") || s.get(2).equals("violations"))) {
            String org = s.get(1);
            if (org.isEmpty()) {
                throw new ApiError(400, "the org id is empty");
            }
            Optional<URI> owner = forwarded ? Optional.empty() : owners.ownerOf(org);
            if (owner.isPresent()) {
                return forward(owner.get(), uri);
            }
            if (!queries.knows(org)) {
                throw new ApiError(404, "unknown org '" + org + "': no event of it has been seen (see /api/orgs)");
            }
            return ok(s.get(2).equals("retention") ? retention(org, r) : violations(org, r));
        }
        if (s.equals(List.of("violations", "recent"))) {
            return ok(recent(r, forwarded));
        }
        throw new ApiError(404, "no API at " + uri.getRawPath() + " (see /api/openapi.json)");
    }

    private JsonNode orgs(ApiRequest r, boolean forwarded) {
        List<LedgerAnswers.Org> all = new ArrayList<>(queries.orgs());
        if (forwarded) {
            return page(all, 1, Math.max(1, all.size()));
        }
        for (URI other : owners.others()) {
            all.addAll(itemsOf(forward(other, URI.create("/api/orgs")), new TypeReference<List<LedgerAnswers.Org>>() { }));
        }
        String q = r.param("q");
        if (q != null && !q.isBlank()) {
            String needle = q.trim().toLowerCase(Locale.ROOT);
            all.removeIf(o -> !o.orgId().toLowerCase(Locale.ROOT).contains(needle));
        }
        all.sort(Comparator.comparing(LedgerAnswers.Org::orgId));
        return page(all, r.page(), r.size(ApiRequest.MAX_PAGE_SIZE));
    }

    private JsonNode retention(String org, ApiRequest r) {
        LocalDate today = LocalDate.now(clock);
        LocalDate at = r.day("at", today);
        LocalDate first = RetentionExposure.firstDayKept(today, history);
        if (at.isBefore(first)) {
            throw new ApiError(400, "at " + at + " is before the history kept (from " + first + ", "
                    + ComplianceConfig.LEDGER_HISTORY_DAYS + ")");
        }
        LedgerAnswers.Retention answer = queries.retention(org, at);
        ObjectNode page = (ObjectNode) page(answer.held(), r.page(), r.size(ApiRequest.MAX_PAGE_SIZE));
        ObjectNode out = JSON.valueToTree(answer);
        out.remove("held");
        out.setAll(page);
        return out;
    }

    private JsonNode violations(String org, ApiRequest r) {
        LocalDate to = r.day("to", LocalDate.now(clock));
        LocalDate from = r.day("from", to.minusDays(89));
        if (from.isAfter(to)) {
            throw new ApiError(400, "from " + from + " is after to " + to);
        }
        LedgerAnswers.Violations answer = queries.violations(org, from, to);
        ObjectNode out = JSON.valueToTree(answer);
        out.remove("days");
        out.setAll((ObjectNode) page(answer.days(), r.page(), r.size(ApiRequest.MAX_PAGE_SIZE)));
        return out;
    }

    private JsonNode recent(ApiRequest r, boolean forwarded) {
        List<LedgerAnswers.Recent> all = new ArrayList<>(queries.recent(Integer.MAX_VALUE));
        if (forwarded) {
            return page(all, 1, Math.max(1, all.size()));
        }
        for (URI other : owners.others()) {
            all.addAll(itemsOf(forward(other, URI.create("/api/violations/recent")), new TypeReference<List<LedgerAnswers.Recent>>() { }));
        }
        String org = r.param("org");
        if (org != null) {
            all.removeIf(v -> !v.orgId().equals(org));
        }
        all.sort(Comparator.comparing(LedgerAnswers.Recent::eventTime).reversed().thenComparing(LedgerAnswers.Recent::violationId));
        return page(all, r.page(), r.size(MAX_RECENT_PAGE));
    }

    static JsonNode page(List<?> all, int page, int size) {
        ObjectNode out = JSON.createObjectNode();
        long from = (long) (page - 1) * size;
        out.set("items", JSON.valueToTree(from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(), from + size))));
        out.put("page", page);
        out.put("size", size);
        out.put("total", all.size());
        return out;
    }

    /** Asks another instance, from its own stores only, and relays its answer. */
    private Response forward(URI base, URI request) {
        URI target = base.resolve(request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
        HttpRequest.Builder call = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).header(FORWARDED, "1").GET();
        if (token != null) {
            call.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> answer = http.send(call.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body());
        } catch (IOException e) {
            throw new ApiError(502, "instance " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted while asking " + base);
        }
    }

    private static <T> List<T> itemsOf(Response response, TypeReference<List<T>> type) {
        if (response.status() != 200) {
            throw new ApiError(502, "another instance answered " + response.status() + ": " + response.body().strip());
        }
        try {
            return JSON.convertValue(JSON.readTree(response.body()).get("items"), type);
        } catch (JsonProcessingException e) {
            throw new ApiError(502, "another instance answered something that is not JSON");
        }
    }

    private void authorize(String header) {
        if (token == null) {
            return;
        }
        String expected = "Bearer " + token;
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "this API needs the header Authorization: Bearer <" + TOKEN + ">");
        }
    }

    private static Response ok(JsonNode body) {
        try {
            return new Response(200, JSON.writeValueAsString(body) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response error(int status, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message.replace('\n', ' '));
        return new Response(status, body + "\n");
    }

    private static String openApi() {
        try (InputStream in = LedgerApi.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}

package dev.compliance.producers.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local stand-in for Anthropic's HTTP APIs in tests: each path answers through a scripted handler (usually replaying
 * recorded pages), and every request is kept for assertions.
 */
public class FakeAnthropicApi implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers) {
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null ? null : values.get(0);
        }
    }

    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply ok(String body) {
            return new Reply(200, body, Map.of());
        }

        public static Reply status(int status, String body) {
            return new Reply(status, body, Map.of());
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Reply>> handlers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Reply> failuresFirst = new CopyOnWriteArrayList<>();

    public FakeAnthropicApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void on(String path, Function<Request, Reply> handler) {
        handlers.put(path, handler);
    }

    /** The next requests, whatever their path, get these replies first (429, 5xx...). */
    public void failNext(Reply... replies) {
        failuresFirst.addAll(List.of(replies));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    parse(exchange.getRequestURI().getRawQuery()), headers);
            requests.add(request);
            Reply reply;
            if (!failuresFirst.isEmpty()) {
                reply = failuresFirst.remove(0);
            } else {
                Function<Request, Reply> handler = handlers.get(request.path());
                reply = handler == null
                        ? Reply.status(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no such path\"}}")
                        : handler.apply(request);
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static Map<String, List<String>> parse(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            String key = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String value = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.compliance.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of {@link LedgerApi}, for {@code compliance report}: GETs a path, fetches every page of a list,
 * and turns an error answer or an unreachable API into one line (an {@link IllegalStateException}).
 */
public final class ApiClient {

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token;
    }

    /** A path segment, percent-encoded (an org id may hold any character). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer to {@code pathAndQuery}, with every page of its {@code items} in one array. */
    public ObjectNode getAll(String pathAndQuery) {
        String sep = pathAndQuery.contains("?") ? "&" : "?";
        int pageSize = pathAndQuery.startsWith("/api/violations/recent") ? LedgerApi.MAX_RECENT_PAGE : ApiRequest.MAX_PAGE_SIZE;
        ObjectNode first = get(pathAndQuery + sep + "size=" + pageSize + "&page=1");
        ArrayNode items = (ArrayNode) first.get("items");
        int size = first.get("size").asInt();
        long total = first.get("total").asLong();
        for (int page = 2; (long) (page - 1) * size < total; page++) {
            items.addAll((ArrayNode) get(pathAndQuery + sep + "size=" + size + "&page=" + page).get("items"));
        }
        first.put("size", items.size());
        return first;
    }

    public ObjectNode get(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the API at " + base + " (" + (e instanceof java.net.ConnectException
                    ? "connection refused" : e.getMessage() == null ? "no answer" : e.getMessage()) + "); is `compliance run` serving there? (--url)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        JsonNode body;
        try {
            body = LedgerApi.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(base.resolve(pathAndQuery) + " answered " + response.statusCode() + " with something that is not JSON");
        }
        if (response.statusCode() != 200) {
            String error = body.has("error") ? body.get("error").asText() : response.body().strip();
            throw new IllegalStateException(error + " (HTTP " + response.statusCode() + ")");
        }
        return (ObjectNode) body;
    }
}

package dev.compliance.producers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.producers.Progress;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.Waiter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * GET requests to Anthropic's HTTP APIs with the retries a poller needs: 429 waits for retry-after (or backs off),
 * 5xx and connection failures back off exponentially up to {@code maxAttempts}, a refused key (401/403 by default;
 * see {@link KeyRefusal}) stops at once with one line naming the fix, and other 4xx stop with the API's own error
 * message. Waits go through a {@link Waiter},
 * so a stop ends them and tests run without real time passing.
 */
public class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI baseUrl;
    private final Map<String, String> headers;
    private final HttpClient http;
    private final Waiter waiter;
    private final Progress progress;
    private final RetryPolicy retry;
    private final KeyRefusal keyRefusal;

    /** How often and how long to retry. */
    public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60));
        }
    }

    /**
     * Which statuses mean "the key is wrong" for an API, and the fix to name. The Compliance API documents 401
     * {@code authentication_error} for a missing or revoked key and 403 {@code permission_error} for a missing scope
     * (platform.claude.com {@code manage-claude/compliance-errors}); a bad key has also been seen to answer 404
     * {@code not_found_error} on the feed, so that API counts 404 too.
     */
    public record KeyRefusal(java.util.Set<Integer> statuses, String fix) {
        public static KeyRefusal defaults() {
            return new KeyRefusal(java.util.Set.of(401, 403), "check that the key is valid and has the right scope");
        }
    }

    /** The source stopped while waiting for a retry. */
    public static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    /**
     * @param name    the source's name in messages ("compliance-api")
     * @param headers sent with every request (x-api-key, anthropic-version)
     */
    public ApiClient(String name, URI baseUrl, Map<String, String> headers, Waiter waiter, Progress progress,
                     RetryPolicy retry) {
        this(name, baseUrl, headers, waiter, progress, retry, KeyRefusal.defaults());
    }

    public ApiClient(String name, URI baseUrl, Map<String, String> headers, Waiter waiter, Progress progress,
                     RetryPolicy retry, KeyRefusal keyRefusal) {
        this.keyRefusal = keyRefusal;
        this.name = name;
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.waiter = waiter;
        this.progress = progress;
        this.retry = retry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** GETs {@code path?query} and parses the JSON answer. Query values are URL-encoded; a key may repeat. */
    public JsonNode get(String path, List<Map.Entry<String, String>> query) {
        URI uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + path + queryString(query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET()
                .header("accept", "application/json");
        headers.forEach(request::header);
        Duration backoff = retry.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(response.body(), uri);
                }
                if (keyRefusal.statuses().contains(status)) {
                    throw new SourceException(name + ": the API key was refused (" + status + " "
                            + errorType(response.body(), status) + ") at " + baseUrl + ": " + keyRefusal.fix()
                            + apiMessage(response.body()));
                }
                if (status == 429) {
                    failure = "rate limited (429)";
                    wait = retryAfter(response).orElse(backoff);
                } else if (status >= 500) {
                    failure = "server error " + status;
                    wait = backoff;
                } else {
                    throw new SourceException(name + ": request refused (" + status + ") for " + uri.getPath()
                            + apiMessage(response.body()));
                }
            } catch (IOException e) {
                failure = "cannot reach " + baseUrl + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                wait = backoff;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
            if (attempt >= retry.maxAttempts()) {
                throw new SourceException(name + ": giving up after " + attempt + " attempts: " + failure);
            }
            progress.report(name + ": " + failure + "; retrying in " + seconds(wait) + " (attempt " + (attempt + 1)
                    + " of " + retry.maxAttempts() + ")");
            if (!waiter.await(wait)) {
                throw new Stopped();
            }
            backoff = min(backoff.multipliedBy(2), retry.maxBackoff());
        }
    }

    private JsonNode parse(String body, URI uri) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SourceException(name + ": the answer from " + uri.getPath() + " is not JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        java.util.Optional<String> value = response.headers().firstValue("retry-after");
        if (value.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            long secondsToWait = Long.parseLong(value.get().trim());
            return java.util.Optional.of(min(Duration.ofSeconds(Math.max(0, secondsToWait)), retry.maxBackoff().multipliedBy(5)));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** ": <message>" from an Anthropic error body {"type":"error","error":{"type":..,"message":..}}, or "". */
    private static String apiMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? ": " + message.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The error body's error.type, else the status's name. */
    private static String errorType(String body, int status) {
        try {
            JsonNode type = JSON.readTree(body).path("error").path("type");
            if (type.isTextual() && !type.asText().isBlank()) {
                return type.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not an Anthropic error body: fall back to the status's name
        }
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            default -> "refused";
        };
    }

    static String queryString(List<Map.Entry<String, String>> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        for (Map.Entry<String, String> entry : query) {
            joined.add(encode(entry.getKey()) + "=" + encode(entry.getValue()));
        }
        return joined.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}

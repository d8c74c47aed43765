package dev.compliance.cli.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an API request URI: the decoded path segments after {@code /api/} (an orgId may hold any
 * character, percent-encoded) and the query parameters, with the checks every route shares (page, size, days).
 */
final class ApiRequest {

    static final int MAX_PAGE_SIZE = 500;
    static final int DEFAULT_PAGE_SIZE = 50;

    final List<String> segments;
    private final Map<String, String> params;

    private ApiRequest(List<String> segments, Map<String, String> params) {
        this.segments = segments;
        this.params = params;
    }

    static ApiRequest of(URI uri) {
        String path = uri.getRawPath();
        String rest = path.startsWith("/api/") ? path.substring("/api/".length()) : "";
        List<String> segments = new ArrayList<>();
        for (String s : rest.split("/", -1)) {
            segments.add(decode(s));
        }
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1); // a trailing slash
        }
        Map<String, String> params = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decodeQuery(pair.substring(eq + 1)));
                }
            }
        }
        return new ApiRequest(List.copyOf(segments), params);
    }

    String param(String name) {
        return params.get(name);
    }

    /** 1-based page number. */
    int page() {
        return number("page", 1, 1, Integer.MAX_VALUE);
    }

    int size(int max) {
        return number("size", Math.min(DEFAULT_PAGE_SIZE, max), 1, max);
    }

    int number(String name, int fallback, int min, int max) {
        String v = params.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError(400, name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    LocalDate day(String name, LocalDate fallback) {
        String v = params.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new ApiError(400, name + " must be a day as YYYY-MM-DD, got '" + v + "'");
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad percent-encoding in '" + s + "'");
        }
    }

    private static String decodeQuery(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad percent-encoding in '" + s + "'");
        }
    }
}

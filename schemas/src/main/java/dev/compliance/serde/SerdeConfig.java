package dev.compliance.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's configuration, read from the same map Kafka hands to {@code configure}. Property names are
 * Confluent's own, so a deployment that has Confluent's jars can swap in Confluent's serde by configuration alone.
 */
public final class SerdeConfig {

    /** Comma-separated registry base URLs; {@code mock://scope} selects an in-memory registry shared per scope. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the record's schema under the subject when it is not there yet (default true). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Write with the subject's latest registered schema instead of the record's own (default false). */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** Where the basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (user info in the URL). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} for basic auth when the source is USER_INFO. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Accepted for compatibility with Confluent's configuration; this serde always reads SpecificRecords. */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** How many times an HTTP call is tried when the registry is unreachable or answers 5xx (default 5). */
    public static final String MAX_ATTEMPTS = "schema.registry.max.attempts";
    /** First retry delay in milliseconds; doubles after each failed attempt (default 200). */
    public static final String BACKOFF_MS = "schema.registry.backoff.ms";
    /** Connect and request timeout of one HTTP call, in milliseconds (default 10000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    public static final String MOCK_SCHEME = "mock://";

    private final List<String> urls;
    private final boolean autoRegister;
    private final boolean useLatestVersion;
    private final String credentialsSource;
    private final String userInfo;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration requestTimeout;

    private SerdeConfig(Map<String, ?> props) {
        Object url = props.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (for example http://localhost:8081, or mock://tests for an in-memory registry)");
        }
        this.urls = parseUrls(url.toString());
        this.autoRegister = bool(props, AUTO_REGISTER_SCHEMAS, true);
        this.useLatestVersion = bool(props, USE_LATEST_VERSION, false);
        bool(props, SPECIFIC_AVRO_READER, true);
        this.credentialsSource = string(props, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO").toUpperCase(Locale.ROOT);
        if (!credentialsSource.equals("USER_INFO") && !credentialsSource.equals("URL")) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + " must be USER_INFO or URL, got '" + credentialsSource + "'");
        }
        this.userInfo = string(props, BASIC_AUTH_USER_INFO, "");
        if (credentialsSource.equals("USER_INFO") && !userInfo.isEmpty() && !userInfo.contains(":")) {
            throw new ConfigException(BASIC_AUTH_USER_INFO + " must look like user:password");
        }
        this.maxAttempts = positiveInt(props, MAX_ATTEMPTS, 5);
        this.backoff = Duration.ofMillis(nonNegativeInt(props, BACKOFF_MS, 200));
        this.requestTimeout = Duration.ofMillis(positiveInt(props, REQUEST_TIMEOUT_MS, 10_000));
    }

    /** Reads and validates the configuration; a problem surfaces as a one-line {@link ConfigException}. */
    public static SerdeConfig from(Map<String, ?> props) {
        if (props == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (no serde configuration given)");
        }
        return new SerdeConfig(props);
    }

    /**
     * When a registry client was handed to the serde, {@code schema.registry.url} may be left out: the client's own
     * location stands in for it.
     */
    static Map<String, ?> withDefaultUrl(Map<String, ?> props, SchemaRegistryClient client) {
        if (client == null || props == null || props.get(SCHEMA_REGISTRY_URL) != null) {
            return props == null && client != null ? Map.of(SCHEMA_REGISTRY_URL, client.location()) : props;
        }
        Map<String, Object> copy = new java.util.HashMap<>(props);
        copy.put(SCHEMA_REGISTRY_URL, client.location());
        return copy;
    }

    public List<String> urls() { return urls; }
    public boolean autoRegister() { return autoRegister; }
    public boolean useLatestVersion() { return useLatestVersion; }
    public String credentialsSource() { return credentialsSource; }
    public String userInfo() { return userInfo; }
    public int maxAttempts() { return maxAttempts; }
    public Duration backoff() { return backoff; }
    public Duration requestTimeout() { return requestTimeout; }

    /** True when the URL selects the in-memory registry. */
    public boolean isMock() { return urls.get(0).startsWith(MOCK_SCHEME); }

    private static List<String> parseUrls(String value) {
        List<String> result = new ArrayList<>();
        for (String part : value.split(",")) {
            String u = part.trim();
            if (u.isEmpty()) {
                continue;
            }
            if (u.startsWith(MOCK_SCHEME)) {
                if (u.length() == MOCK_SCHEME.length()) {
                    throw new ConfigException(SCHEMA_REGISTRY_URL + " '" + u + "' needs a scope name, for example mock://tests");
                }
            } else {
                try {
                    URI uri = new URI(u);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw new ConfigException(SCHEMA_REGISTRY_URL + " '" + u + "' must be an http(s)://host:port URL or mock://scope");
                    }
                } catch (URISyntaxException e) {
                    throw new ConfigException(SCHEMA_REGISTRY_URL + " '" + u + "' is not a valid URL: " + e.getReason());
                }
            }
            result.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
        if (result.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (got an empty list)");
        }
        boolean mocks = result.stream().anyMatch(u -> u.startsWith(MOCK_SCHEME));
        if (mocks && result.size() > 1) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " may hold one mock:// URL or a list of http(s) URLs, not both");
        }
        return List.copyOf(result);
    }

    private static String string(Map<String, ?> props, String key, String dflt) {
        Object v = props.get(key);
        return v == null ? dflt : v.toString().trim();
    }

    private static boolean bool(Map<String, ?> props, String key, boolean dflt) {
        Object v = props.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key + " must be true or false, got '" + v + "'");
    }

    private static int positiveInt(Map<String, ?> props, String key, int dflt) {
        int n = nonNegativeInt(props, key, dflt);
        if (n == 0) {
            throw new ConfigException(key + " must be at least 1, got 0");
        }
        return n;
    }

    private static int nonNegativeInt(Map<String, ?> props, String key, int dflt) {
        Object v = props.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString().trim());
            if (n < 0) {
                throw new ConfigException(key + " must not be negative, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v + "'");
        }
    }
}

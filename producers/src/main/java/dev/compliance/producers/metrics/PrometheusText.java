package dev.compliance.producers.metrics;

/**
 * Builds the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): a {@code # HELP} and
 * {@code # TYPE} line per metric family, then one {@code name{label="value",...} value} line per sample. Label values
 * are escaped as the format says (backslash, double quote, newline), since some come from a remote API (activity
 * types). Shared by the OTLP receiver's and the pollers' {@code /metrics} ({@link MetricsEndpoint}).
 */
public final class PrometheusText {

    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /** Starts a counter family. */
    public PrometheusText counter(String name, String help) {
        return family(name, help, "counter");
    }

    /** Starts a gauge family. */
    public PrometheusText gauge(String name, String help) {
        return family(name, help, "gauge");
    }

    /** A counter family of one sample without labels. */
    public PrometheusText single(String name, String help, long value) {
        return counter(name, help).sample(name, value);
    }

    /** One sample; {@code labels} alternate names and values. */
    public PrometheusText sample(String name, long value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + String.join(",", labels));
        }
        out.append(name);
        for (int i = 0; i < labels.length; i += 2) {
            out.append(i == 0 ? '{' : ',').append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        out.append(labels.length > 0 ? "} " : " ").append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private PrometheusText family(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

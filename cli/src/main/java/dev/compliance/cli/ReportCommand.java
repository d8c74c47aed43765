package dev.compliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code compliance report retention|violations}: the ledger's answers for analysts who script, as a table,
 * JSON or CSV. A client of the API that {@code compliance run} serves ({@code /api}, see
 * {@link dev.compliance.cli.api.LedgerApi}); the token, if the API has one, comes from COMPLIANCE_API_TOKEN.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Asks a running pipeline's API what the vendor holds of an org's content, or which violations were raised.",
        subcommands = {ReportCommand.Retention.class, ReportCommand.Violations.class})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say which report: retention or violations");
    }

    /** Output formats. */
    enum Format { table, json, csv }

    /** The options every report takes. */
    static final class Connection {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The app's endpoint, where /health and /api are (default ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
                description = "table, json or csv (default ${DEFAULT-VALUE}).")
        Format format;

        ApiClient client() {
            return new ApiClient(url, System.getenv("COMPLIANCE_API_TOKEN"));
        }
    }

    @Command(name = "retention", mixinStandardHelpOptions = true,
            description = {"What the vendor holds of an org's content at the end of a day (UTC), by retention kind x plan x",
                    "feature x effective class, with the worst case, the content kept until deleted and the expiry schedule."})
    static final class Retention implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The org id.")
        String org;

        @Option(names = "--at", paramLabel = "DAY", description = "The day, YYYY-MM-DD (default today).")
        String at;

        @Override
        public Integer call() {
            String path = "/api/orgs/" + ApiClient.segment(org) + "/retention" + (at == null ? "" : "?at=" + ApiClient.segment(at));
            ObjectNode answer = connection.client().getAll(path);
            PrintStream out = System.out;
            List<String> columns = List.of("kind", "plan", "feature", "effectiveClass", "count");
            switch (connection.format) {
                case json -> out.println(answer.toPrettyString());
                case csv -> csv(out, columns, answer.get("items"));
                case table -> {
                    out.println("org " + answer.get("orgId").asText() + " at the end of " + answer.get("at").asText() + " (UTC)");
                    out.println("held:          " + answer.get("heldTotal").asLong() + " items " + counts(answer.get("heldByKind")));
                    out.println("worst case:    " + answer.get("worstCaseHeld").asLong() + " items may still exist; last day "
                            + text(answer.get("worstCaseHorizon"), "-"));
                    JsonNode ud = answer.get("untilDeleted");
                    out.println("until deleted: " + ud.get("count").asLong() + " items"
                            + (ud.get("oldest").isNull() ? "" : ", oldest used " + ud.get("oldest").asText()) + " " + counts(ud.get("byFeature")));
                    out.println();
                    table(out, columns, answer.get("items"));
                    out.println();
                    out.println("goes:");
                    table(out, List.of("from", "to", "unit", "count"), answer.get("schedule"));
                }
            }
            return 0;
        }
    }

    @Command(name = "violations", mixinStandardHelpOptions = true,
            description = {"With --org: the org's violation counts by day x code (from the daily rollups).",
                    "Without: the most recent violations of every org, newest first."})
    static final class Violations implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--org", paramLabel = "ORG", description = "The org id (counts by day x code).")
        String org;

        @Option(names = "--from", paramLabel = "DAY", description = "With --org: the first day (default 89 days before --to).")
        String from;

        @Option(names = "--to", paramLabel = "DAY", description = "With --org: the last day (default today).")
        String to;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Without --org: how many (default ${DEFAULT-VALUE}, at most 200).")
        int limit;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            ApiClient client = connection.client();
            if (org == null) {
                ObjectNode recent = client.get("/api/violations/recent?size=" + limit);
                List<String> columns = List.of("eventTime", "severity", "code", "orgId", "userId", "deviceId", "message");
                switch (connection.format) {
                    case json -> out.println(recent.toPrettyString());
                    case csv -> csv(out, columns, recent.get("items"));
                    case table -> table(out, columns, recent.get("items"));
                }
                return 0;
            }
            List<String> query = new ArrayList<>();
            if (from != null) {
                query.add("from=" + ApiClient.segment(from));
            }
            if (to != null) {
                query.add("to=" + ApiClient.segment(to));
            }
            ObjectNode answer = client.getAll("/api/orgs/" + ApiClient.segment(org) + "/violations"
                    + (query.isEmpty() ? "" : "?" + String.join("&", query)));
            if (connection.format == Format.json) {
                out.println(answer.toPrettyString());
                return 0;
            }
            ObjectMapper json = new ObjectMapper();
            var rows = json.createArrayNode();
            for (JsonNode day : answer.get("items")) {
                day.get("byCode").fields().forEachRemaining(code -> rows.addObject()
                        .put("day", day.get("day").asText()).put("code", code.getKey()).put("count", code.getValue().asLong()));
            }
            List<String> columns = List.of("day", "code", "count");
            if (connection.format == Format.csv) {
                csv(out, columns, rows);
            } else {
                out.println("org " + answer.get("orgId").asText() + ", " + answer.get("from").asText() + " to " + answer.get("to").asText()
                        + ": " + answer.get("violationCount").asLong() + " violations " + counts(answer.get("byCode")));
                out.println();
                table(out, columns, rows);
            }
            return 0;
        }
    }

    /** {@code (A 1, B 2)} from a JSON object of counts. */
    static String counts(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asLong()));
        return parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")";
    }

    private static String text(JsonNode node, String fallback) {
        return node == null || node.isNull() ? fallback : node.asText();
    }

    /** Aligned columns, a header in capitals; numbers right-aligned. */
    static void table(PrintStream out, List<String> columns, JsonNode rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> text(row.get(c), "-")).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                boolean number = row != cells.get(0) && rows.get(0) != null && rows.get(0).get(columns.get(i)) != null
                        && rows.get(0).get(columns.get(i)).isNumber();
                String cell = number ? " ".repeat(width[i] - row[i].length()) + row[i]
                        : last ? row[i] : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** RFC 4180: a header, then one line per row; a field with a comma, quote or line break is quoted. */
    static void csv(PrintStream out, List<String> columns, JsonNode rows) {
        out.print(String.join(",", columns) + "\r\n");
        for (JsonNode row : rows) {
            List<String> fields = new ArrayList<>();
            for (String c : columns) {
                String v = row.get(c) == null || row.get(c).isNull() ? "" : row.get(c).asText();
                fields.add(v.matches("(?s).*[\",\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            out.print(String.join(",", fields) + "\r\n");
        }
    }
}

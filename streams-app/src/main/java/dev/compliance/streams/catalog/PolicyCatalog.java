package dev.compliance.streams.catalog;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionCondition;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.RetentionRule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POLICY.md's tables as data: reads {@code catalog/policy-catalog.txt}, validates every line and
 * expands the tables into one {@link CatalogEntry} per plan x feature (9 x 15 = 135 rows).
 *
 * <p>The file has sections ([seeds], [plans], [zdr], [baa], [retention], [worst-case]); within a
 * section the first line that matches a plan x feature decides, as POLICY.md reads its tables.
 */
public final class PolicyCatalog {

    public static final String DEFAULT_RESOURCE = "catalog/policy-catalog.txt";

    private final Map<String, CatalogEntry> rows;
    private final Map<String, String> seeds;
    private final String version;

    private PolicyCatalog(Map<String, CatalogEntry> rows, Map<String, String> seeds, String version) {
        this.rows = rows;
        this.seeds = seeds;
        this.version = version;
    }

    /** The catalog shipped with the application. */
    public static PolicyCatalog load() {
        try (InputStream in = PolicyCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new CatalogFormatException(DEFAULT_RESOURCE, "not found on the classpath");
            }
            return parse(DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CatalogFormatException(DEFAULT_RESOURCE, "cannot be read: " + e.getMessage());
        }
    }

    /** A catalog file given by path (for `compliance catalog publish --file`). */
    public static PolicyCatalog load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new CatalogFormatException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }

    public static String key(Plan plan, Feature feature) {
        return plan.name() + "/" + feature.name();
    }

    /** Every row, in plan then feature order. */
    public List<CatalogEntry> entries() {
        return List.copyOf(rows.values());
    }

    public CatalogEntry entry(Plan plan, Feature feature) {
        return rows.get(key(plan, feature));
    }

    /** Seed id to its file name and description, for messages and documentation. */
    public Map<String, String> seeds() {
        return seeds;
    }

    /** Content hash of the catalog file: identifies the catalog a verdict was judged against. */
    public String version() {
        return version;
    }

    // ---------------------------------------------------------------- parsing

    static PolicyCatalog parse(String file, String text) {
        Parser p = new Parser(file);
        p.read(text);
        Map<String, CatalogEntry> rows = new LinkedHashMap<>();
        String version = sha256(text).substring(0, 12);
        for (Plan plan : Plan.values()) {
            for (Feature feature : Feature.values()) {
                rows.put(key(plan, feature), p.expand(plan, feature, version));
            }
        }
        return new PolicyCatalog(rows, Map.copyOf(p.seeds), version);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line of a table, with the plans and features it applies to. */
    private record Scope(Set<Plan> plans, Set<Feature> features, int line) {
        boolean matches(Plan plan, Feature feature) {
            return plans.contains(plan) && features.contains(feature);
        }
    }

    private record PlanLine(Scope scope, boolean consumer, Long trainingDefaultFrom, List<String> citations) { }

    private record CoverageLine(Scope scope, Coverage coverage, List<String> citations) { }

    private record RetentionLine(Scope scope, int row, RetentionCondition condition, RetentionKind kind,
                                 Integer days, boolean daysFromOrg, List<String> citations, String description,
                                 String conflict) { }

    private record WorstCaseLine(Scope scope, int days, List<String> citations) { }

    private static final class Parser {
        private final String file;
        private final Map<String, String> seeds = new LinkedHashMap<>();
        private final List<PlanLine> plans = new ArrayList<>();
        private final List<CoverageLine> zdr = new ArrayList<>();
        private final List<CoverageLine> baa = new ArrayList<>();
        private final List<RetentionLine> retention = new ArrayList<>();
        private final List<WorstCaseLine> worstCase = new ArrayList<>();
        private int line;

        Parser(String file) {
            this.file = file;
        }

        void read(String text) {
            String section = null;
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                line = i + 1;
                String raw = lines[i].strip();
                if (raw.isEmpty() || raw.startsWith("#")) {
                    continue;
                }
                if (raw.startsWith("[") && raw.endsWith("]")) {
                    section = raw.substring(1, raw.length() - 1);
                    continue;
                }
                if (section == null) {
                    throw error("a table line before any [section]");
                }
                String[] cols = Arrays.stream(raw.split("\\|", -1)).map(String::strip).toArray(String[]::new);
                switch (section) {
                    case "seeds" -> seed(cols);
                    case "plans" -> plans.add(plan(cols));
                    case "zdr" -> zdr.add(coverage(cols));
                    case "baa" -> baa.add(coverage(cols));
                    case "retention" -> retention.add(retention(cols));
                    case "worst-case" -> worstCase.add(worstCase(cols));
                    default -> throw error("unknown section [" + section + "]");
                }
            }
            for (String required : List.of("seeds", "plans", "zdr", "baa", "retention", "worst-case")) {
                if (!text.contains("[" + required + "]")) {
                    throw new CatalogFormatException(file, "missing section [" + required + "]");
                }
            }
        }

        private void seed(String[] c) {
            columns(c, 3, "id | file | description");
            seeds.put(c[0], c[1] + " (" + c[2] + ")");
        }

        private PlanLine plan(String[] c) {
            columns(c, 4, "plans | consumer | training default from | citations");
            Long from = c[2].equals("-") ? null
                    : parseDate(c[2]);
            return new PlanLine(new Scope(plans(c[0]), EnumSet.allOf(Feature.class), line),
                    yesNo(c[1]), from, citations(c[3]));
        }

        private CoverageLine coverage(String[] c) {
            columns(c, 4, "plans | features | coverage | citations");
            return new CoverageLine(scope(c[0], c[1]), enumValue(Coverage.class, c[2], "coverage"), citations(c[3]));
        }

        private RetentionLine retention(String[] c) {
            columns(c, 9, "row | plans | features | condition | kind | days | citations | description | conflict");
            int row = integer(c[0], "row");
            RetentionKind kind = enumValue(RetentionKind.class, c[4], "retention kind");
            boolean fromOrg = c[5].equals("org");
            Integer days = c[5].equals("-") || fromOrg ? null : integer(c[5], "days");
            if ((kind == RetentionKind.FIXED || kind == RetentionKind.UNTIL_DELETED) && days == null && !fromOrg) {
                throw error(kind + " needs days (a number, or 'org' for the org's customRetentionDays)");
            }
            if (c[7].isEmpty()) {
                throw error("missing description");
            }
            return new RetentionLine(scope(c[1], c[2]), row, enumValue(RetentionCondition.class, c[3], "condition"),
                    kind, days, fromOrg, citations(c[6]), c[7], c[8].isEmpty() ? null : c[8]);
        }

        private WorstCaseLine worstCase(String[] c) {
            columns(c, 3, "features | days | citations");
            return new WorstCaseLine(new Scope(EnumSet.allOf(Plan.class), features(c[0]), line),
                    integer(c[1], "days"), citations(c[2]));
        }

        // ---------------------------------------------------------------- expansion

        CatalogEntry expand(Plan plan, Feature feature, String version) {
            PlanLine p = first(plans, PlanLine::scope, plan, feature, "[plans]");
            CoverageLine z = first(zdr, CoverageLine::scope, plan, feature, "[zdr]");
            CoverageLine b = first(baa, CoverageLine::scope, plan, feature, "[baa]");
            WorstCaseLine w = first(worstCase, WorstCaseLine::scope, plan, feature, "[worst-case]");
            List<RetentionRule> rules = new ArrayList<>();
            for (RetentionLine r : retention) {
                if (!r.scope().matches(plan, feature)) {
                    continue;
                }
                if (r.condition() == RetentionCondition.ZERO_RETENTION_PATH && z.coverage() == Coverage.NEVER) {
                    continue; // can never hold on this path
                }
                if (r.condition() == RetentionCondition.TRAINING_APPLIES && !p.consumer()) {
                    continue;
                }
                rules.add(RetentionRule.newBuilder()
                        .setRow(r.row())
                        .setCondition(r.condition() == RetentionCondition.ZERO_RETENTION_PATH && z.coverage() == Coverage.ALWAYS
                                ? RetentionCondition.ALWAYS : r.condition())
                        .setKind(r.kind())
                        .setDays(r.days())
                        .setWorstCaseDays(w.days())
                        .setDescription(r.description())
                        .setCitations(r.citations())
                        .setWorstCaseCitations(w.citations())
                        .setConflictNote(r.conflict())
                        .build());
                if (rules.get(rules.size() - 1).getCondition() == RetentionCondition.ALWAYS) {
                    break; // later rows can never be reached
                }
            }
            if (rules.isEmpty() || rules.get(rules.size() - 1).getCondition() != RetentionCondition.ALWAYS) {
                throw new CatalogFormatException(file, "[retention] leaves " + key(plan, feature)
                        + " without a decision: add a line with condition ALWAYS that matches it");
            }
            return CatalogEntry.newBuilder()
                    .setPlan(plan)
                    .setFeature(feature)
                    .setConsumer(p.consumer())
                    .setZdrCoverage(z.coverage())
                    .setZdrCitations(z.citations())
                    .setBaaCoverage(b.coverage())
                    .setBaaCitations(b.citations())
                    .setTrainingDefaultFrom(p.trainingDefaultFrom() == null ? null : Instant.ofEpochMilli(p.trainingDefaultFrom()))
                    .setRetention(rules)
                    .setCatalogVersion(version)
                    .build();
        }

        private <T> T first(List<T> lines, java.util.function.Function<T, Scope> scope, Plan plan, Feature feature, String table) {
            return lines.stream().filter(l -> scope.apply(l).matches(plan, feature)).findFirst()
                    .orElseThrow(() -> new CatalogFormatException(file, table + " has no line for " + key(plan, feature)));
        }

        // ---------------------------------------------------------------- cells

        private Scope scope(String plans, String features) {
            return new Scope(plans(plans), features(features), line);
        }

        private Set<Plan> plans(String cell) {
            return names(Plan.class, cell, "plan");
        }

        private Set<Feature> features(String cell) {
            return names(Feature.class, cell, "feature");
        }

        private <E extends Enum<E>> Set<E> names(Class<E> type, String cell, String what) {
            if (cell.isEmpty()) {
                throw error("empty " + what + " list");
            }
            if (cell.startsWith("*")) {
                EnumSet<E> all = EnumSet.allOf(type);
                String rest = cell.substring(1).strip();
                if (rest.isEmpty()) {
                    return all;
                }
                if (!rest.startsWith("except ")) {
                    throw error("expected '* except A B', got '" + cell + "'");
                }
                for (String name : rest.substring("except ".length()).strip().split("\\s+")) {
                    all.remove(enumValue(type, name, what));
                }
                return all;
            }
            EnumSet<E> set = EnumSet.noneOf(type);
            for (String name : cell.split("\\s+")) {
                set.add(enumValue(type, name, what));
            }
            return set;
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, String name, String what) {
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw error("unknown " + what + " '" + name + "' (expected one of " + Arrays.toString(type.getEnumConstants()) + ")");
            }
        }

        private List<String> citations(String cell) {
            if (cell.isBlank()) {
                throw error("missing citation: every line must name the seeds it comes from");
            }
            List<String> ids = List.of(cell.split("\\s+"));
            for (String id : ids) {
                if (!seeds.containsKey(id)) {
                    throw error("unknown citation '" + id + "' (not in [seeds]: " + seeds.keySet() + ")");
                }
            }
            return ids;
        }

        private boolean yesNo(String cell) {
            return switch (cell) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw error("expected yes or no, got '" + cell + "'");
            };
        }

        private int integer(String cell, String what) {
            try {
                return Integer.parseInt(cell);
            } catch (NumberFormatException e) {
                throw error("bad " + what + " '" + cell + "': expected a whole number");
            }
        }

        private long parseDate(String cell) {
            try {
                return LocalDate.parse(cell).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (RuntimeException e) {
                throw error("bad date '" + cell + "': expected YYYY-MM-DD");
            }
        }

        private void columns(String[] c, int n, String expected) {
            if (c.length != n) {
                throw error("expected " + n + " columns (" + expected + "), found " + c.length);
            }
        }

        private CatalogFormatException error(String problem) {
            return new CatalogFormatException(file, line, problem);
        }
    }
}

package dev.compliance.streams.catalog;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.ClassFloor;
import dev.compliance.avro.ClassificationProfile;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionCondition;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.RetentionRule;
import dev.compliance.avro.TrainingCondition;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the catalog file for {@link PolicyCatalog}: validates every line of every section (names,
 * citations, conflict ids, column counts) and expands the tables into one {@link CatalogEntry} per
 * plan x feature, taking in each section the first line that matches, as POLICY.md reads its tables.
 */
final class CatalogParser {

    /** A line of a table, with the plans and features it applies to. */
    private record Scope(Set<Plan> plans, Set<Feature> features, int line) {
        boolean matches(Plan plan, Feature feature) {
            return plans.contains(plan) && features.contains(feature);
        }
    }

    private record PlanLine(Scope scope, boolean consumer, Long trainingDefaultFrom, List<String> citations) { }

    private record CoverageLine(Scope scope, Coverage coverage, List<String> citations) { }

    private record ZdrLine(Scope scope, Coverage coverage, String agreement, List<String> citations, String conflict) { }

    private record CitedLine(Scope scope, List<String> citations) { }

    private record TrainingLine(Scope scope, TrainingCondition training, List<String> citations) { }

    private record HoldLine(Scope scope, boolean whenMayTrain, int days, List<String> citations) { }

    private record LocalTranscriptLine(Scope scope, int days, List<String> citations) { }

    private record RetentionLine(Scope scope, int row, RetentionCondition condition, RetentionKind kind,
                                 Integer days, boolean daysFromOrg, List<String> citations, String description,
                                 String conflict) { }

    private final String file;
    private final Map<String, String> seeds = new LinkedHashMap<>();
    private final List<PlanLine> plans = new ArrayList<>();
    private final Map<String, CatalogConflict> conflicts = new LinkedHashMap<>();
    private final Map<Integer, String> conflictRefs = new LinkedHashMap<>();
    private final List<ClassFloor> classFloors = new ArrayList<>();
    private final List<ZdrLine> zdr = new ArrayList<>();
    private final List<CitedLine> zdrDisables = new ArrayList<>();
    private final List<TrainingLine> training = new ArrayList<>();
    private final List<CoverageLine> baa = new ArrayList<>();
    private final List<RetentionLine> retention = new ArrayList<>();
    private final List<HoldLine> holds = new ArrayList<>();
    private final List<LocalTranscriptLine> localTranscripts = new ArrayList<>();
    private final List<CatalogFacts.MetadataHold> metadataHolds = new ArrayList<>();
    private int line;

    CatalogParser(String file) {
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
                case "conflicts" -> conflict(cols);
                case "plans" -> plans.add(plan(cols));
                case "class-floors" -> classFloors.add(classFloor(cols));
                case "zdr" -> zdr.add(zdr(cols));
                case "zdr-disables" -> zdrDisables.add(cited(cols));
                case "training" -> training.add(training(cols));
                case "baa" -> baa.add(coverage(cols));
                case "retention" -> retention.add(retention(cols));
                case "holds" -> holds.add(hold(cols));
                case "local-transcripts" -> localTranscripts.add(localTranscript(cols));
                case "metadata-holds" -> metadataHolds.add(metadataHold(cols));
                default -> throw error("unknown section [" + section + "]");
            }
        }
        for (String required : List.of("seeds", "conflicts", "plans", "class-floors", "zdr", "zdr-disables", "training",
                "baa", "retention", "holds", "local-transcripts", "metadata-holds")) {
            if (!text.contains("[" + required + "]")) {
                throw new CatalogFormatException(file, "missing section [" + required + "]");
            }
        }
        conflictRefs.forEach((at, id) -> {
            if (!conflicts.containsKey(id)) {
                throw new CatalogFormatException(file, at, "unknown conflict '" + id + "' (not in [conflicts]: " + conflicts.keySet() + ")");
            }
        });
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

    private void conflict(String[] c) {
        columns(c, 6, "id | subject | one value | other value | used | citations");
        for (int i = 0; i < 5; i++) {
            if (c[i].isEmpty()) {
                throw error("a conflict needs its id, subject, both values and the one used");
            }
        }
        conflicts.put(c[0], new CatalogConflict(c[0], c[1], c[2], c[3], c[4], citations(c[5])));
    }

    /** A conflict column: empty, or the id of a [conflicts] line (checked once the file is read). */
    private String conflictRef(String cell) {
        if (cell.isEmpty()) {
            return null;
        }
        conflictRefs.put(line, cell);
        return cell;
    }

    private String note(String conflictId) {
        return conflictId == null ? null : conflicts.get(conflictId).note();
    }

    private ClassFloor classFloor(String[] c) {
        columns(c, 5, "profile | tags | floor | citations | conflict");
        return ClassFloor.newBuilder()
                .setProfile(enumValue(ClassificationProfile.class, c[0], "classification profile"))
                .setTags(List.copyOf(names(DataTag.class, c[1], "data tag")))
                .setFloor(enumValue(DataClass.class, c[2], "data class"))
                .setCitations(citations(c[3]))
                .setConflictNote(conflictRef(c[4])) // the id until expansion turns it into the note
                .build();
    }

    private ZdrLine zdr(String[] c) {
        columns(c, 6, "plans | features | coverage | agreement | citations | conflict");
        Coverage coverage = enumValue(Coverage.class, c[2], "coverage");
        String agreement = c[3].equals("-") ? null : c[3];
        if ((coverage == Coverage.WITH_ORG_AGREEMENT) != (agreement != null)) {
            throw error("coverage WITH_ORG_AGREEMENT names the org's agreement field, any other coverage has '-'");
        }
        if (agreement != null) {
            var field = OrgPolicy.getClassSchema().getField(agreement);
            if (field == null || field.schema().getType() != org.apache.avro.Schema.Type.BOOLEAN) {
                throw error("agreement '" + agreement + "' is not a boolean field of OrgPolicy");
            }
        }
        return new ZdrLine(scope(c[0], c[1]), coverage, agreement, citations(c[4]), conflictRef(c[5]));
    }

    private CitedLine cited(String[] c) {
        columns(c, 3, "plans | features | citations");
        return new CitedLine(scope(c[0], c[1]), citations(c[2]));
    }

    private TrainingLine training(String[] c) {
        columns(c, 4, "plans | features | may train | citations");
        return new TrainingLine(scope(c[0], c[1]), enumValue(TrainingCondition.class, c[2], "training condition"), citations(c[3]));
    }

    private HoldLine hold(String[] c) {
        columns(c, 7, "hold | plans | features | applies | days | citations | conflict");
        boolean whenMayTrain = switch (c[3]) {
            case "ALWAYS" -> false;
            case "MAY_TRAIN" -> true;
            default -> throw error("applies must be ALWAYS or MAY_TRAIN, got '" + c[3] + "'");
        };
        conflictRef(c[6]);
        return new HoldLine(scope(c[1], c[2]), whenMayTrain, integer(c[4], "days"), citations(c[5]));
    }

    private LocalTranscriptLine localTranscript(String[] c) {
        columns(c, 3, "features | default days | citations");
        return new LocalTranscriptLine(new Scope(EnumSet.allOf(Plan.class), features(c[0]), line),
                integer(c[1], "default days"), citations(c[2]));
    }

    private CatalogFacts.MetadataHold metadataHold(String[] c) {
        columns(c, 3, "what | years | citations");
        return new CatalogFacts.MetadataHold(c[0], integer(c[1], "years"), citations(c[2]));
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
                kind, days, fromOrg, citations(c[6]), c[7], conflictRef(c[8]));
    }

    // ---------------------------------------------------------------- expansion

    CatalogEntry expand(Plan plan, Feature feature, String version) {
        PlanLine p = first(plans, PlanLine::scope, plan, feature, "[plans]");
        ZdrLine z = first(zdr, ZdrLine::scope, plan, feature, "[zdr]");
        CoverageLine b = first(baa, CoverageLine::scope, plan, feature, "[baa]");
        TrainingLine t = first(training, TrainingLine::scope, plan, feature, "[training]");
        HoldLine always = latest(plan, feature, false);
        HoldLine trained = latest(plan, feature, true);
        CitedLine disables = zdrDisables.stream().filter(l -> l.scope().matches(plan, feature)).findFirst().orElse(null);
        LocalTranscriptLine local = localTranscripts.stream().filter(l -> l.scope().matches(plan, feature)).findFirst().orElse(null);
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
                    .setWorstCaseDays(always == null ? 0 : always.days())
                    .setDescription(r.description())
                    .setCitations(r.citations())
                    .setWorstCaseCitations(always == null ? List.of() : always.citations())
                    .setConflictNote(note(r.conflict()))
                    .build());
            if (rules.get(rules.size() - 1).getCondition() == RetentionCondition.ALWAYS) {
                break; // later rows can never be reached
            }
        }
        if (rules.isEmpty() || rules.get(rules.size() - 1).getCondition() != RetentionCondition.ALWAYS) {
            throw new CatalogFormatException(file, "[retention] leaves " + PolicyCatalog.key(plan, feature)
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
                .setZdrAgreement(z.agreement() == null ? "zdrEnabled" : z.agreement()) // read only WITH_ORG_AGREEMENT
                .setZdrConflictNote(note(z.conflict()))
                .setZdrDisablesFeature(disables != null)
                .setZdrDisablesCitations(disables == null ? List.of() : disables.citations())
                .setTraining(t.training())
                .setTrainingCitations(t.citations())
                .setTrainingHoldDays(trained == null ? null : trained.days())
                .setTrainingHoldCitations(trained == null ? List.of() : trained.citations())
                .setLocalTranscriptDefaultDays(local == null ? null : local.days())
                .setLocalTranscriptCitations(local == null ? List.of() : local.citations())
                .setClassFloors(classFloors.stream().map(f -> ClassFloor.newBuilder(f)
                        .setConflictNote(note(f.getConflictNote())).build()).toList())
                .build();
    }

    /** The longest hold of the kind that applies to this path, or null when none does. */
    private HoldLine latest(Plan plan, Feature feature, boolean whenMayTrain) {
        return holds.stream().filter(h -> h.whenMayTrain() == whenMayTrain && h.scope().matches(plan, feature))
                .max(java.util.Comparator.comparingInt(HoldLine::days)).orElse(null);
    }

    private <T> T first(List<T> lines, java.util.function.Function<T, Scope> scope, Plan plan, Feature feature, String table) {
        return lines.stream().filter(l -> scope.apply(l).matches(plan, feature)).findFirst()
                .orElseThrow(() -> new CatalogFormatException(file, table + " has no line for " + PolicyCatalog.key(plan, feature)));
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
    Map<String, String> seeds() {
        return seeds;
    }

    List<CatalogConflict> conflicts() {
        return List.copyOf(conflicts.values());
    }

    List<CatalogFacts.MetadataHold> metadataHolds() {
        return List.copyOf(metadataHolds);
    }

    /** POLICY.md's retention table as the file states it. */
    List<CatalogFacts.RetentionRow> retentionTable() {
        return retention.stream().map(r -> new CatalogFacts.RetentionRow(r.row(), r.description(), r.kind(),
                r.daysFromOrg() ? "org" : r.days() == null ? "-" : r.days().toString(), r.citations())).toList();
    }
}

package dev.compliance.cli;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.RetentionRule;
import dev.compliance.cli.runtime.TopicSnapshot;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.CatalogConflict;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code compliance catalog}: validates a catalog file and prints its plan x feature rows; {@code diff}
 * and {@code publish} compare a catalog file with compliance.catalog and publish it, so that a vendor
 * policy change is an edit and a publish, not a rebuild.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Validates the policy catalog (the bundled one, or --file) and prints one line per plan x feature:",
                "ZDR and BAA coverage and the retention rows that can apply, each with its seed citations;",
                "with --conflicts, the conflicts between seeds and how each is resolved.",
                "`catalog diff --file F` compares F with compliance.catalog; `catalog publish --file F` publishes it."},
        subcommands = {CatalogCommand.Diff.class, CatalogCommand.Publish.class})
public final class CatalogCommand implements Callable<Integer> {

    @Option(names = "--file", paramLabel = "FILE", description = "A catalog file to validate instead of the bundled one.")
    Path file;

    @Option(names = "--json", description = "Print the rows as JSON lines (as published to compliance.catalog).")
    boolean json;

    @Option(names = "--conflicts", description = "Print the conflicts between seeds the catalog resolves: both values, the one used, the citations.")
    boolean conflicts;

    @Override
    public Integer call() {
        PolicyCatalog catalog = file == null ? PolicyCatalog.load() : PolicyCatalog.load(file);
        if (conflicts) {
            printConflicts(catalog);
            return 0;
        }
        for (CatalogEntry row : catalog.entries()) {
            if (json) {
                System.out.println(row.toString());
                continue;
            }
            StringBuilder retention = new StringBuilder();
            for (RetentionRule r : row.getRetention()) {
                retention.append(retention.length() == 0 ? "" : " else ")
                        .append("row ").append(r.getRow()).append(' ').append(r.getKind())
                        .append(r.getDays() == null ? "" : " " + r.getDays() + "d")
                        .append(r.getCondition().name().equals("ALWAYS") ? "" : " if " + r.getCondition())
                        .append(" [").append(String.join(" ", r.getCitations())).append(']');
            }
            System.out.printf("%-24s zdr=%-18s [%s]  baa=%-18s [%s]  %s%n",
                    PolicyCatalog.key(row.getPlan(), row.getFeature()),
                    zdr(row), String.join(" ", row.getZdrCitations()),
                    row.getBaaCoverage(), String.join(" ", row.getBaaCitations()), retention);
        }
        System.err.println("catalog " + catalog.version() + ": " + catalog.entries().size() + " rows, valid");
        return 0;
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compares a catalog file (validated as the bundled one) with what compliance.catalog holds, row by row.")
    static final class Diff implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The catalog file.")
        Path file;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            PolicyCatalog catalog = PolicyCatalog.load(file);
            List<String> changes = changes(catalog, onTopic(cluster.clientConfig()));
            changes.forEach(System.out::println);
            System.out.println("catalog diff: " + catalog.version() + " from " + file + ", " + changes.size() + " row(s) differ");
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publishes a catalog file (validated as the bundled one) to compliance.catalog in one transaction;"
                    + " every verdict from then on carries its version.")
    static final class Publish implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The catalog file.")
        Path file;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            PolicyCatalog catalog = PolicyCatalog.load(file);
            Map<String, Object> config = cluster.clientConfig();
            int changed = changes(catalog, onTopic(config)).size();
            if (changed == 0) {
                System.out.println("nothing to publish: " + Topics.CATALOG.name() + " already holds catalog " + catalog.version());
                return 0;
            }
            int rows = CatalogPublisher.publish(catalog, config.get("bootstrap.servers").toString(), config);
            System.out.println("published catalog " + catalog.version() + " (" + rows + " rows, " + changed
                    + " changed) to " + Topics.CATALOG.name() + " in one transaction");
            return 0;
        }
    }

    /** The rows compliance.catalog holds now, by key (the last record of each key). */
    private static Map<String, CatalogEntry> onTopic(Map<String, Object> config) {
        Map<String, CatalogEntry> rows = new TreeMap<>();
        TopicSnapshot.read(Topics.CATALOG, config).forEach(r -> {
            if (r.value() == null) {
                rows.remove(r.key());
            } else {
                rows.put(r.key(), r.value());
            }
        });
        return rows;
    }

    /** One line per row that differs: + new, ~ changed (with the fields), - only on the topic. */
    private static List<String> changes(PolicyCatalog catalog, Map<String, CatalogEntry> topic) {
        List<String> lines = new ArrayList<>();
        Map<String, CatalogEntry> file = new TreeMap<>();
        catalog.entries().forEach(row -> file.put(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
        file.forEach((key, row) -> {
            CatalogEntry was = topic.get(key);
            if (was == null) {
                lines.add("+ " + key);
            } else if (!was.equals(row)) {
                List<String> fields = new ArrayList<>();
                for (Schema.Field f : CatalogEntry.getClassSchema().getFields()) {
                    if (!String.valueOf(was.get(f.pos())).equals(String.valueOf(row.get(f.pos())))) {
                        fields.add(f.name().equals("catalogVersion") ? "catalogVersion " + was.get(f.pos()) + " -> " + row.get(f.pos()) : f.name());
                    }
                }
                lines.add("~ " + key + ": " + String.join(", ", fields));
            }
        });
        topic.keySet().stream().filter(key -> !file.containsKey(key))
                .forEach(key -> lines.add("- " + key + " only on the topic (the pipeline keeps judging by it)"));
        return lines;
    }

    /** The ZDR coverage, naming the org agreement when it is not zdrEnabled (foundryAbuseMonitoringOptOut on Foundry). */
    private static String zdr(CatalogEntry row) {
        boolean otherAgreement = row.getZdrCoverage() == Coverage.WITH_ORG_AGREEMENT && !row.getZdrAgreement().equals("zdrEnabled");
        return row.getZdrCoverage() + (otherAgreement ? "(" + row.getZdrAgreement() + ")" : "");
    }

    private static void printConflicts(PolicyCatalog catalog) {
        for (CatalogConflict c : catalog.conflicts()) {
            System.out.printf("%s: %s [%s]%n  one value:   %s%n  other value: %s%n  used:        %s%n",
                    c.id(), c.subject(), String.join(" ", c.citations()), c.oneValue(), c.otherValue(), c.used());
        }
        System.err.println("catalog " + catalog.version() + ": " + catalog.conflicts().size() + " conflicts between seeds, each resolved");
    }
}

package dev.compliance.cli;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.Coverage;
import dev.compliance.avro.RetentionRule;
import dev.compliance.streams.catalog.CatalogConflict;
import dev.compliance.streams.catalog.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code compliance catalog}: validates a catalog file and prints its plan x feature rows. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Validates the policy catalog (the bundled one, or --file) and prints one line per plan x feature:",
                "ZDR and BAA coverage and the retention rows that can apply, each with its seed citations;",
                "with --conflicts, the conflicts between seeds and how each is resolved."})
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

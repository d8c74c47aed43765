package dev.compliance.cli;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.RetentionRule;
import dev.compliance.streams.catalog.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code compliance catalog}: validates a catalog file and prints its plan x feature rows. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Validates the policy catalog (the bundled one, or --file) and prints one line per plan x feature:",
                "ZDR and BAA coverage and the retention rows that can apply, each with its seed citations."})
public final class CatalogCommand implements Callable<Integer> {

    @Option(names = "--file", paramLabel = "FILE", description = "A catalog file to validate instead of the bundled one.")
    Path file;

    @Option(names = "--json", description = "Print the rows as JSON lines (as published to compliance.catalog).")
    boolean json;

    @Override
    public Integer call() {
        PolicyCatalog catalog = file == null ? PolicyCatalog.load() : PolicyCatalog.load(file);
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
                    row.getZdrCoverage(), String.join(" ", row.getZdrCitations()),
                    row.getBaaCoverage(), String.join(" ", row.getBaaCitations()), retention);
        }
        System.err.println("catalog " + catalog.version() + ": " + catalog.entries().size() + " rows, valid");
        return 0;
    }
}

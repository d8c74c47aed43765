package dev.compliance.cli;

import dev.compliance.cli.policy.PolicyFile;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.whatif.WhatIf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code compliance evaluate}: policy what-if, no broker. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Runs usage events through the pipeline's topology (TopologyTestDriver, no broker) and prints",
                "one JSON verdict per event, in input order: violations and vendor-side retention.",
                "Malformed lines are reported on stderr (file:line: reason); the exit code is then 1."})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--orgs", required = true, paramLabel = "ORGS.jsonl", description = "Org policies: JSON Lines (one version per line) or a policy file (.yaml, as `compliance policy` reads it, with retirements).")
    Path orgs;

    @Option(names = "--events", required = true, paramLabel = "EVENTS.jsonl", description = "Usage events, one JSON object per line.")
    Path events;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A policy catalog file to judge against instead of the bundled one (what if the vendor's policy changed?).")
    Path catalog;

    @Option(names = "--explain", description = "Add the retention row, its citations, the local-transcript expiry, what may be kept beyond the content (trust and safety scores) and each violation's explanation.")
    boolean explain;

    @Override
    public Integer call() throws Exception {
        for (Path p : catalog == null ? new Path[]{orgs, events} : new Path[]{orgs, events, catalog}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("cannot read " + p + ": no such file or not readable");
            }
        }
        PolicyCatalog policy = catalog == null ? PolicyCatalog.load() : PolicyCatalog.load(catalog);
        WhatIf.Result result;
        String name = orgs.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) { // a policy file, as `compliance policy` reads it
            List<WhatIf.OrgRecord> records = new ArrayList<>();
            for (PolicyFile.Entry e : PolicyFile.read(orgs).entries()) {
                records.add(new WhatIf.OrgRecord(e.orgId(), e.at(), e instanceof PolicyFile.Version v ? v.policy() : null, e.line()));
            }
            result = WhatIf.run(orgs, records, events, policy, explain, System.out);
        } else {
            result = WhatIf.run(orgs, events, policy, explain, System.out);
        }
        System.out.flush();
        result.problems().forEach(p -> System.err.println(p));
        return result.problems().isEmpty() ? 0 : 1;
    }
}

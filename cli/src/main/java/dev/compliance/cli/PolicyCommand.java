package dev.compliance.cli;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.cli.policy.PolicyDiff;
import dev.compliance.cli.policy.PolicyFile;
import dev.compliance.cli.policy.PolicyFile.Entry;
import dev.compliance.cli.policy.PolicyFile.Version;
import dev.compliance.cli.policy.PolicyHistory;
import dev.compliance.cli.runtime.TopicSnapshot;
import dev.compliance.streams.TransactionalPublisher;
import dev.compliance.topics.Topics;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code compliance policy}: org policies as code. A policy file (see {@link PolicyFile}) is validated,
 * compared with what compliance.org-policies holds, and applied as exactly that difference in one
 * transaction; the topic is read back version by version.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Org policies as code: validate a policy file, compare it with compliance.org-policies, apply the",
                "difference in one transaction, and read the topic back (the version in force at a time, an org's history).",
                "A file is YAML (.yaml) or JSON Lines (.jsonl); an entry is a version (OrgPolicy's fields: orgId,",
                "effectiveFrom, zdrEnabled, ...) or a retirement (orgId, retiredFrom). See docs/policy.md."},
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Diff.class, PolicyCommand.Apply.class,
                PolicyCommand.ListOrgs.class, PolicyCommand.Show.class})
public final class PolicyCommand implements Callable<Integer> {

    /**
     * The transactional id of {@code policy apply}: a second applier fences the first. Under the
     * producers' prefix, so that the secure profile's producer principal may apply policies.
     */
    static final String TRANSACTIONAL_ID = "compliance-producer-policy-apply";

    @Override
    public Integer call() {
        System.err.println("compliance policy: give a subcommand: validate, diff, apply, list or show (see compliance policy --help)");
        return 2;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a policy file without a cluster: one line per problem (FILE:LINE: ...), exit code 2 if any.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The policy file (.yaml, .yml or .jsonl).")
        Path file;

        @Override
        public Integer call() {
            return withFile(file, policies -> {
                long orgs = policies.entries().stream().map(Entry::orgId).distinct().count();
                System.out.println(file + ": " + policies.entries().size() + " entries for " + orgs + " orgs, valid");
                return 0;
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Prints what `apply` would publish: new versions and retirements (+), corrected versions (~),"
                    + " and entries only the topic has (kept: the history is append-only).")
    static final class Diff implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The policy file (.yaml, .yml or .jsonl).")
        Path file;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            return withFile(file, policies -> {
                PolicyDiff diff = diff(policies, cluster.clientConfig());
                print(diff);
                return 0;
            });
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Publishes exactly what `diff` prints, in one transaction: the same file applied twice publishes nothing the second time.")
    static final class Apply implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The policy file (.yaml, .yml or .jsonl).")
        Path file;

        @Option(names = "--dry-run", description = "Print what would be published and publish nothing.")
        boolean dryRun;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            return withFile(file, policies -> {
                Map<String, Object> settings = cluster.clientConfig();
                PolicyDiff diff = diff(policies, settings);
                print(diff);
                if (diff.changes().isEmpty()) {
                    System.out.println("nothing to apply: " + Topics.ORG_POLICIES.name() + " already holds every entry of " + file);
                } else if (dryRun) {
                    System.out.println("dry run: nothing published (" + diff.changes().size() + " record(s) would be)");
                } else {
                    int published = TransactionalPublisher.publish(Topics.ORG_POLICIES, diff.records(), settings, TRANSACTIONAL_ID);
                    System.out.println("published " + published + " record(s) to " + Topics.ORG_POLICIES.name() + " in one transaction");
                }
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every org on compliance.org-policies with the version in force at a time (default now).")
    static final class ListOrgs implements Callable<Integer> {
        @Mixin
        TopicAtTime read;

        @Override
        public Integer call() {
            Instant time = read.time();
            PolicyHistory history = read.history();
            history.inForceAll(time).forEach((org, policy) -> System.out.printf("%-20s %2d entries  %s%n", org,
                    history.entries(org).size(), policy == null ? "no version in force" : "since " + policy.getEffectiveFrom() + "  " + fields(policy)));
            System.err.println(history.orgs().size() + " orgs on " + Topics.ORG_POLICIES.name() + ", in force at " + time);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One org's whole history on compliance.org-policies, and the version in force at a time (default now).")
    static final class Show implements Callable<Integer> {
        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The orgId.")
        String org;

        @Mixin
        TopicAtTime read;

        @Override
        public Integer call() {
            Instant time = read.time();
            PolicyHistory history = read.history();
            List<Entry> entries = history.entries(org);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("org '" + org + "' has no entry on " + Topics.ORG_POLICIES.name()
                        + " (see `compliance policy list`)");
            }
            Optional<OrgPolicy> inForce = history.inForce(org, time);
            for (Entry e : entries) {
                boolean current = inForce.isPresent() && inForce.get().getEffectiveFrom().equals(e.at());
                System.out.printf("%s %s  %s%n", current ? "*" : " ", e.at(),
                        e instanceof Version v ? fields(v.policy()) : "retired (events from here on raise UNKNOWN_ORG)");
            }
            System.out.println(inForce.map(p -> "in force at " + time + ": the version from " + p.getEffectiveFrom())
                    .orElse("in force at " + time + ": none (events then raise UNKNOWN_ORG)"));
            return 0;
        }
    }

    /** The options of the commands that read the topic back: the cluster and the time to look at. */
    static final class TopicAtTime {
        @Option(names = "--at", paramLabel = "TIME", description = "An ISO-8601 instant, e.g. 2026-05-01T00:00:00Z (default now).")
        String at;

        @Mixin
        ClusterOptions cluster;

        Instant time() {
            return PolicyCommand.time(at);
        }

        PolicyHistory history() {
            return PolicyHistory.fromTopic(TopicSnapshot.read(Topics.ORG_POLICIES, cluster.clientConfig()));
        }
    }

    /** Reads and validates the file, then runs {@code action}; an invalid file prints every problem and returns 2. */
    private static int withFile(Path file, java.util.function.Function<PolicyFile, Integer> action) {
        PolicyFile policies;
        try {
            policies = PolicyFile.read(file);
        } catch (PolicyFile.InvalidPolicyFileException e) {
            e.problems().forEach(System.err::println);
            System.err.println("compliance policy: " + file + " has " + e.problems().size() + " problem(s); nothing was published");
            return 2;
        }
        return action.apply(policies);
    }

    private static PolicyDiff diff(PolicyFile policies, Map<String, Object> settings) {
        return PolicyDiff.between(policies, PolicyHistory.fromTopic(TopicSnapshot.read(Topics.ORG_POLICIES, settings)));
    }

    private static void print(PolicyDiff diff) {
        diff.changes().forEach(c -> System.out.println(c.describe()));
        diff.onlyOnTopic().forEach(e -> System.out.printf("  %-20s %s  only on the topic: kept (retire the org or correct the version in the file)%n",
                e.orgId(), e.at()));
        System.out.println("policy diff: " + diff.summary());
    }

    /** The fields of a version besides orgId and effectiveFrom, as name=value. */
    static String fields(OrgPolicy policy) {
        List<String> parts = new ArrayList<>();
        for (Schema.Field f : OrgPolicy.getClassSchema().getFields()) {
            if (!f.name().equals("orgId") && !f.name().equals("effectiveFrom")) {
                parts.add(f.name() + "=" + policy.get(f.pos()));
            }
        }
        return String.join(" ", parts);
    }

    private static Instant time(String at) {
        if (at == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at '" + at + "' is not an ISO-8601 instant such as 2026-05-01T00:00:00Z");
        }
    }
}

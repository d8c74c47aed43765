package dev.compliance.cli;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.Progress;
import dev.compliance.producers.StopSignal;
import dev.compliance.producers.complianceapi.ComplianceApiOptions;
import dev.compliance.producers.complianceapi.ComplianceApiSource;
import dev.compliance.producers.feed.FeedCounters;
import dev.compliance.producers.feed.FeedStore;
import dev.compliance.producers.feed.KafkaFeedStore;
import dev.compliance.producers.generator.GeneratorConfig;
import dev.compliance.producers.metrics.MetricsEndpoint;
import dev.compliance.producers.generator.GeneratorOptions;
import dev.compliance.producers.generator.GeneratorSource;
import dev.compliance.producers.otlp.OrgDefaults;
import dev.compliance.producers.otlp.OtlpOptions;
import dev.compliance.producers.otlp.OtlpReceiver;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.producers.usagereport.UsageReportOptions;
import dev.compliance.producers.usagereport.UsageReportSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code compliance produce <source>}: usage events from a real source (or the generator) onto the input topic. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produces usage events to compliance.usage-events from a source: generator, otlp, compliance-api, usage-report.",
        subcommands = {ProduceCommand.Generator.class, ProduceCommand.Otlp.class,
                ProduceCommand.ComplianceApi.class, ProduceCommand.UsageReport.class})
public final class ProduceCommand {

    /** Connection settings shared by every source: {@link ClusterOptions}. */
    static final class Connection extends ClusterOptions {
    }

    /**
     * The pollers' {@code GET /metrics} ({@link MetricsEndpoint}, {@link FeedCounters}): off unless
     * {@code --metrics-port} is given (two pollers and the app on one host would fight over a fixed default port);
     * loopback unless {@code --metrics-host} says otherwise. Without it the counts are in the final "done" line.
     */
    static final class PollerMetrics {
        @Option(names = "--metrics-host", paramLabel = "HOST",
                description = "Address of /metrics (default 127.0.0.1, this machine only; 0.0.0.0 for every interface).")
        String host = OtlpOptions.LOOPBACK;

        @Option(names = "--metrics-port", paramLabel = "PORT",
                description = "Serve GET /metrics (Prometheus text: pages, events, skipped by activity type, malformed)"
                        + " on this port; 0 picks a free one (default: no listener; the counts are in the final line).")
        Integer port;

        /** The listener, or null when none was asked for (try-with-resources skips a null). */
        MetricsEndpoint open(String source, FeedCounters counters) {
            if (port == null) {
                return null;
            }
            MetricsEndpoint endpoint = MetricsEndpoint.start(source, host, port, counters::prometheus);
            System.out.println(source + ": counters on " + endpoint.url());
            return endpoint;
        }
    }

    /** A stop signal that Ctrl-C and SIGTERM raise. */
    static StopSignal stopOnShutdown() {
        StopSignal stop = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::stop, "stop-producer"));
        return stop;
    }

    @Command(name = "generator", mixinStandardHelpOptions = true,
            description = "A seeded, realistic mix of orgs, plans, features, data classes and tags (demos, load, tests).")
    static final class Generator implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--events", paramLabel = "N", description = "Events to send; 0 = until stopped (default 0).")
        long events;

        @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Target send rate; 0 = as fast as Kafka takes them (default 0).")
        double rate;

        @Option(names = "--seed", paramLabel = "N", description = "Seeds every choice (default 42).")
        long seed = 42;

        @Option(names = "--orgs", paramLabel = "N", description = "Organizations (default 12).")
        int orgs = 12;

        @Option(names = "--users-per-org", paramLabel = "N", description = "Users per organization (default 40).")
        int usersPerOrg = 40;

        @Option(names = "--start", paramLabel = "ISO|now", description = "Event time of the first event (default now).")
        String start = "now";

        @Option(names = "--late-fraction", paramLabel = "0..1", description = "Share of late, out-of-order events (default 0).")
        double lateFraction;

        @Option(names = "--max-lateness", paramLabel = "DURATION", description = "How late at most, ISO-8601 (default PT30M).")
        Duration maxLateness = Duration.ofMinutes(30);

        @Option(names = "--with-policies", negatable = true, description = "Publish the sample org policies first (default true).")
        boolean withPolicies = true;

        @Override
        public Integer call() {
            Instant first = "now".equals(start) ? Instant.now() : Instant.parse(start);
            GeneratorConfig config = GeneratorConfig.defaults(seed).withOrgs(orgs, usersPerOrg)
                    .withStart(first, rate > 0 ? rate : 50).withLateness(lateFraction, maxLateness);
            Map<String, Object> client = connection.clientConfig();
            try (var eventSink = Sinks.usageEvents(client); var policySink = Sinks.orgPolicies(client)) {
                long sent = new GeneratorSource(new GeneratorOptions(config, events, rate, withPolicies), eventSink, policySink,
                        Progress.to(System.out), stopOnShutdown(), System::nanoTime).call();
                System.out.println("generator: " + sent + " events sent");
            }
            return 0;
        }
    }

    @Command(name = "otlp", mixinStandardHelpOptions = true,
            description = {"An OTLP receiver for Claude Code telemetry: OTLP/HTTP on 4318 (POST /v1/logs and /v1/metrics,",
                    "JSON or protobuf, gzip; GET /metrics) and OTLP/gRPC on 4317 (LogsService, MetricsService).",
                    "Point Claude Code at it: CLAUDE_CODE_ENABLE_TELEMETRY=1 OTEL_LOGS_EXPORTER=otlp",
                    "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4318",
                    "OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <token>\" (tokens: --tokens-file)."})
    static final class Otlp implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--host", description = "Address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface).")
        String host = OtlpOptions.LOOPBACK;

        @Option(names = "--port", description = "OTLP/HTTP port (default 4318).")
        int port = OtlpOptions.DEFAULT_PORT;

        @Option(names = "--grpc-port", description = "OTLP/gRPC port (default 4317; -1: no gRPC).")
        int grpcPort = OtlpOptions.DEFAULT_GRPC_PORT;

        @Option(names = "--tokens-file", paramLabel = "FILE",
                description = "Exporters' bearer tokens, one 'sha256:<hex of the token> ORG=PLAN[:CLASS]' a line, reread when it changes. Without it the receiver is unauthenticated.")
        Path tokensFile;

        @Option(names = "--default-plan", description = "Plan when neither the record, its token nor --org-default says (default API).")
        Plan defaultPlan = Plan.API;

        @Option(names = "--default-data-class", description = "Data class when neither the record, its token nor --org-default says (default INTERNAL).")
        DataClass defaultDataClass = DataClass.INTERNAL;

        @Option(names = "--org-default", paramLabel = "ORG=PLAN[:CLASS]", description = "Per-org default plan and class, without a tokens file (repeatable).")
        List<String> orgDefaults = List.of();

        @Option(names = "--default-org", paramLabel = "ORG", description = "Without a tokens file: org of records without organization.id (default: refuse them).")
        String defaultOrg;

        @Option(names = "--count-api-requests", description = "Also count claude_code.api_request events (requestCount).")
        boolean countApiRequests;

        @Override
        public Integer call() throws Exception {
            Map<String, OrgDefaults> perOrg = new HashMap<>();
            orgDefaults.forEach(text -> {
                var entry = OrgDefaults.parse(text);
                perOrg.put(entry.getKey(), entry.getValue());
            });
            OtlpOptions options = OtlpOptions.defaults().withAddress(host, port).withGrpcPort(grpcPort)
                    .withTokensFile(tokensFile)
                    .withDefaults(defaultPlan, defaultDataClass, perOrg, defaultOrg).withApiRequestsCounted(countApiRequests);
            Map<String, Object> clientConfig = connection.clientConfig();
            try (var events = Sinks.usageEvents(clientConfig);
                 var deadLetters = Sinks.deadLetters(clientConfig);
                 var receiver = new OtlpReceiver(options, events, deadLetters)) {
                receiver.run(stopOnShutdown(), Progress.to(System.out), Duration.ofSeconds(10));
            }
            return 0;
        }
    }

    @Command(name = "compliance-api", mixinStandardHelpOptions = true,
            description = {"Polls the Claude Enterprise Compliance API activity feed (GET /v1/compliance/activities).",
                    "The API key comes from ANTHROPIC_COMPLIANCE_API_KEY. The feed position is kept in Kafka,",
                    "committed with the events, so a restart neither skips nor repeats an activity."})
    static final class ComplianceApi implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--org-id", required = true, description = "The organization whose feed this is.")
        String orgId;

        @Option(names = "--base-url", description = "API base URL (default https://api.anthropic.com).")
        URI baseUrl = ComplianceApiOptions.DEFAULT_BASE_URL;

        @Option(names = "--since", paramLabel = "ISO", converter = IsoInstant.class,
                description = "First run only: activities created at or after this time.")
        Instant since;

        @Option(names = "--page-size", description = "Activities per page, 1..5000 (default 1000).")
        int pageSize = 1000;

        @Option(names = "--follow", description = "Keep polling for new activities at the end of the feed.")
        boolean follow;

        @Option(names = "--poll-interval", paramLabel = "DURATION", converter = IsoDuration.class,
                description = "Pause between polls when following (default PT1M).")
        Duration pollInterval = Duration.ofMinutes(1);

        @Mixin
        PollerMetrics metrics = new PollerMetrics();

        @Override
        public Integer call() {
            ComplianceApiOptions options = ComplianceApiOptions.of(baseUrl, System.getenv("ANTHROPIC_COMPLIANCE_API_KEY"), orgId)
                    .withPaging(since, pageSize).withFollow(follow, pollInterval);
            FeedCounters counters = new FeedCounters(ComplianceApiSource.SOURCE);
            try (MetricsEndpoint endpoint = metrics.open(ComplianceApiSource.SOURCE, counters);
                 FeedStore store = new KafkaFeedStore(connection.clientConfig(), ComplianceApiSource.SOURCE, orgId)) {
                new ComplianceApiSource(options, store, Progress.to(System.out), stopOnShutdown(), Clock.systemUTC(),
                        counters).call();
            }
            return 0;
        }
    }

    @Command(name = "usage-report", mixinStandardHelpOptions = true,
            description = {"Polls the Admin API messages usage report (GET /v1/organizations/usage_report/messages):",
                    "one event per bucket and group. The Admin API key comes from ANTHROPIC_ADMIN_API_KEY."})
    static final class UsageReport implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--org-id", required = true, description = "The organization the report is for.")
        String orgId;

        @Option(names = "--base-url", description = "API base URL (default https://api.anthropic.com).")
        URI baseUrl = UsageReportOptions.DEFAULT_BASE_URL;

        @Option(names = "--starting-at", paramLabel = "ISO", converter = IsoInstant.class,
                description = "First run only: the first bucket to read.")
        Instant startingAt;

        @Option(names = "--bucket-width", description = "1m, 1h or 1d (default 1h).")
        String bucketWidth = "1h";

        @Option(names = "--settle", paramLabel = "DURATION", converter = IsoDuration.class,
                description = "First read a bucket once it is this long closed (default PT5M).")
        Duration settle = Duration.ofMinutes(5);

        @Option(names = "--reread", paramLabel = "DURATION", converter = IsoDuration.class,
                description = "Read the buckets of this trailing window again and send corrections (default PT24H; PT0S reads each bucket once).")
        Duration reread = Duration.ofHours(24);

        @Option(names = "--follow", description = "Keep polling as new buckets settle.")
        boolean follow;

        @Option(names = "--poll-interval", paramLabel = "DURATION", converter = IsoDuration.class,
                description = "Pause between polls when following (default PT15M).")
        Duration pollInterval = Duration.ofMinutes(15);

        @Mixin
        PollerMetrics metrics = new PollerMetrics();

        @Override
        public Integer call() {
            UsageReportOptions options = UsageReportOptions.of(baseUrl, System.getenv("ANTHROPIC_ADMIN_API_KEY"), orgId)
                    .withRange(startingAt, bucketWidth, settle).withReread(reread).withFollow(follow, pollInterval);
            FeedCounters counters = new FeedCounters(UsageReportSource.SOURCE);
            try (MetricsEndpoint endpoint = metrics.open(UsageReportSource.SOURCE, counters);
                 FeedStore store = new KafkaFeedStore(connection.clientConfig(), UsageReportSource.SOURCE, orgId)) {
                new UsageReportSource(options, store, Progress.to(System.out), stopOnShutdown(), Clock.systemUTC(),
                        counters).call();
            }
            return 0;
        }
    }

    /** The pollers' durations: a bad value is named in one line, without the parser's exception. */
    static final class IsoDuration implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT5M");
            }
        }
    }

    /** The pollers' instants: a bad value is named in one line, without the parser's exception. */
    static final class IsoInstant implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 instant such as 2026-05-01T00:00:00Z");
            }
        }
    }
}

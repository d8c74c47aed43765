package dev.compliance.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end-to-end benchmark's command line; a bad argument gives a one-line message. */
record Options(long events, int threads, String broker, String bootstrapServers, String registryUrl,
               List<Double> latencyFractions, int latencySeconds, int orgs, long seed, Path jfr, Map<String, String> streamsOverrides) {

    static final String USAGE = """
            usage: run-e2e.sh [--events N | --quick] [--threads T] [--broker auto|docker|embedded]
                              [--bootstrap-servers HOST:PORT] [--registry-url URL]
                              [--latency-fraction F[,F...]] [--latency-seconds S] [--orgs M] [--seed S] [--jfr FILE]
                              [--streams-config KEY=VALUE]...
              --events N            usage events in the backlog (default 1000000); --quick = 100000
              --threads T           Kafka Streams threads, and copy threads (default 1, as `compliance run`)
              --broker              auto: Docker container if Docker and the image are there, else a child JVM
              --bootstrap-servers   use an existing, empty cluster instead of starting a broker
              --registry-url        use an existing Confluent-API registry instead of starting Apicurio
              --latency-fraction F  the latency curve: one run per F, producing at F x the pipeline's measured sustained
                                    throughput (default 0.1,0.25,0.5,0.75; the plain copy is measured at the F nearest 0.5)
              --latency-seconds S   length of each latency run (default 30; --quick: 15)
              --jfr FILE            record a JFR profile of the pipeline's backlog drain into FILE
              --streams-config K=V  a Kafka Streams setting on top of ComplianceApp's (repeatable), for experiments""";

    static Options parse(String[] args) {
        long events = 1_000_000;
        int threads = 1;
        String broker = "auto";
        String bootstrap = null;
        String registry = null;
        List<Double> fractions = List.of(0.1, 0.25, 0.5, 0.75);
        Integer latencySeconds = null;
        int orgs = 200;
        long seed = 42;
        Path jfr = null;
        boolean quick = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--events" -> events = positiveLong(a, value(args, ++i, a));
                case "--threads" -> threads = (int) positiveLong(a, value(args, ++i, a));
                case "--broker" -> {
                    broker = value(args, ++i, a);
                    if (!broker.matches("auto|docker|embedded")) {
                        throw new IllegalArgumentException("--broker must be auto, docker or embedded, got '" + broker + "'");
                    }
                }
                case "--bootstrap-servers" -> bootstrap = value(args, ++i, a);
                case "--registry-url" -> registry = value(args, ++i, a);
                case "--latency-fraction" -> fractions = fractions(value(args, ++i, a));
                case "--latency-seconds" -> latencySeconds = (int) positiveLong(a, value(args, ++i, a));
                case "--orgs" -> orgs = (int) positiveLong(a, value(args, ++i, a));
                case "--seed" -> seed = positiveLong(a, value(args, ++i, a));
                case "--jfr" -> jfr = Path.of(value(args, ++i, a));
                case "--streams-config" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--streams-config needs KEY=VALUE, got '" + kv + "'");
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown argument '" + a + "' (see --help)");
            }
        }
        if (quick) {
            events = 100_000;
        }
        int seconds = latencySeconds != null ? latencySeconds : quick ? 15 : 30;
        return new Options(events, threads, broker, bootstrap, registry, fractions, seconds, orgs, seed, jfr, overrides);
    }

    /** The latency run nearest half load: where the plain copy's latency is measured too. */
    double copyLatencyFraction() {
        return latencyFractions.stream().min(java.util.Comparator.comparingDouble(f -> Math.abs(f - 0.5))).orElseThrow();
    }

    private static List<Double> fractions(String list) {
        List<Double> out = new ArrayList<>();
        for (String v : list.split(",")) {
            double f;
            try {
                f = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                f = -1;
            }
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("--latency-fraction takes numbers in (0, 1], comma-separated, got '" + v + "'");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static long positiveLong(String flag, String v) {
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(flag + " must be a positive whole number, got '" + v + "'");
    }
}

package dev.compliance.proofs;

import dev.compliance.streams.ComplianceStreams;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The streams application under test, as its own process (the proofs kill it with SIGKILL):
 * {@link ComplianceStreams}, exactly as {@code compliance run} starts it — exactly_once_v2, the
 * dead-letter handlers and the failure policy as shipped (a transient failure replaces the thread, at
 * most ten times in ten minutes; any other stops the app) — plus what the proof's settings file adds
 * (a short commit interval, the registry client's timeouts). On SIGTERM it closes Kafka Streams cleanly.
 *
 * <p>It prints one line per event the harness waits on (after the time of day): {@code STATE <state>},
 * {@code THREAD-REPLACED <error>}, {@code STOPPED}.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.compliance.proofs.AppUnderTest <settings.properties>}; the file
 * holds bootstrap.servers, schema.registry.url, compliance.* and any Streams or client property.
 */
public final class AppUnderTest {

    private AppUnderTest() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AppUnderTest <settings.properties>");
            System.exit(2);
        }
        Map<String, Object> settings = read(Path.of(args[0]));
        ComplianceStreams streams = new ComplianceStreams(settings, new ComplianceStreams.Events() {
            @Override
            public void stateChanged(KafkaStreams.State oldState, KafkaStreams.State newState) {
                say("STATE " + newState);
            }

            @Override
            public void threadReplaced(Throwable error) {
                say("THREAD-REPLACED " + rootMessage(error));
            }

            @Override
            public void stopping(Throwable error) {
                say("THREAD-FAILED " + rootMessage(error));
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            say("STOPPED");
        }, "app-under-test-stop"));
        say("STARTING pid " + ProcessHandle.current().pid());
        streams.start();
        if (Boolean.getBoolean("proofs.dumpPolicies")) {
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "policy-dump");
                t.setDaemon(true);
                return t;
            }).scheduleWithFixedDelay(() -> dumpPolicies(streams, settings), 2, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
        // the stream threads keep the process alive until SIGTERM (clean close) or SIGKILL
    }

    /** Diagnostics (-Dproofs.dumpPolicies=true), every 2 s while RUNNING: each org's policy versions as the app's store holds them. */
    private static void dumpPolicies(ComplianceStreams streams, Map<String, Object> settings) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return;
        }
        String scenario = settings.get("application.id").toString().substring("proofs-".length());
        try {
            StringBuilder line = new StringBuilder("POLICIES");
            for (int i = 0; i < 12; i++) {
                String orgId = scenario + "-org-" + i;
                var result = streams.kafkaStreams().query(org.apache.kafka.streams.query.StateQueryRequest
                        .inStore(dev.compliance.streams.PolicyHistory.STORE)
                        .withQuery(org.apache.kafka.streams.query.KeyQuery.<String, dev.compliance.streams.PolicyHistory>withKey(orgId)));
                line.append(" ").append(i).append("=");
                for (var partial : result.getPartitionResults().entrySet()) {
                    if (!partial.getValue().isSuccess()) {
                        line.append("p").append(partial.getKey()).append("?");
                    } else if (partial.getValue().getResult() != null) {
                        for (var v : partial.getValue().getResult().versions()) {
                            line.append("p").append(partial.getKey()).append(":").append(java.time.Instant.ofEpochMilli(v.from())).append(",");
                        }
                    }
                }
            }
            say(line.toString());
        } catch (RuntimeException e) {
            say("POLICIES error " + e);
        }
    }

    static Map<String, Object> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, Object> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        return settings;
    }

    private static String rootMessage(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return chain.toString().replace('\n', ' ');
    }

    private static synchronized void say(String line) {
        System.out.println(java.time.LocalTime.now() + " " + line);
        System.out.flush();
    }
}

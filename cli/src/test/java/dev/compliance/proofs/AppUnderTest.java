package dev.compliance.proofs;

import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The streams application under test, as its own process (the proofs kill it with SIGKILL):
 * {@link ComplianceTopology} with {@link ComplianceApp#streamsProperties} — exactly_once_v2 and the
 * dead-letter handlers as shipped — plus what the proof's settings file adds (a short commit interval,
 * the registry client's timeouts). A dying stream thread is replaced (REPLACE_THREAD), as in
 * {@code compliance run}. On SIGTERM it closes Kafka Streams cleanly.
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
        String bootstrap = String.valueOf(settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        KafkaStreams streams = new KafkaStreams(ComplianceTopology.build(settings),
                ComplianceApp.streamsProperties(bootstrap, settings));
        streams.setStateListener((now, before) -> say("STATE " + now));
        streams.setUncaughtExceptionHandler(e -> {
            say("THREAD-REPLACED " + rootMessage(e));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            say("STOPPED");
        }, "app-under-test-stop"));
        say("STARTING pid " + ProcessHandle.current().pid());
        streams.start();
        // the stream threads keep the process alive until SIGTERM (clean close) or SIGKILL
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

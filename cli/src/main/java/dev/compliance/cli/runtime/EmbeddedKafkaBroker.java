package dev.compliance.cli.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node Kafka broker running inside this JVM, for {@code compliance demo} and tests.
 *
 * <p>One process plays both KRaft roles (broker and controller), listens on 127.0.0.1 only, on two
 * free ports, and keeps its data in a temporary directory that {@link #close()} deletes. Settings are
 * sized for a laptop: replication factor 1 everywhere (including the transaction log, so
 * exactly-once Kafka Streams works), few partitions and few threads.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final String bootstrapServers;
    private final KafkaRaftServer server;
    private final Duration startupTime;

    private EmbeddedKafkaBroker(Path dataDir, String bootstrapServers, KafkaRaftServer server, Duration startupTime) {
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.server = server;
        this.startupTime = startupTime;
    }

    /** Starts a broker and returns once it answers admin requests, or fails after {@code readyTimeout}. */
    public static EmbeddedKafkaBroker start(Duration readyTimeout) {
        long started = System.nanoTime();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("compliance-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the embedded broker", e);
        }
        KafkaRaftServer server = null;
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(dataDir, brokerPort, controllerPort);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(dataDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            awaitReady(bootstrap, readyTimeout);
            return new EmbeddedKafkaBroker(dataDir, bootstrap, server, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException | Error e) {
            stopQuietly(server);
            deleteQuietly(dataDir);
            throw e;
        }
    }

    /** Starts a broker, allowing 60 seconds to become ready. */
    public static EmbeddedKafkaBroker start() {
        return start(Duration.ofSeconds(60));
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long {@link #start} took, from creating the data directory to the first answered admin request. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops the broker and deletes its data directory. */
    @Override
    public void close() {
        stopQuietly(server);
        deleteQuietly(dataDir);
    }

    static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("log.dirs", dataDir.resolve("logs").toString()),
                // one broker: every internal topic gets replication factor 1 and few partitions
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "3"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "3"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                // topics are created explicitly (TopicSetup, Kafka Streams' internal topics)
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // a laptop: few threads, a small log-cleaner buffer
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2"),
                Map.entry("background.threads", "2"),
                Map.entry("num.recovery.threads.per.data.dir", "1"),
                Map.entry("log.cleaner.threads", "1"),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)),
                Map.entry("log.cleaner.io.buffer.size", String.valueOf(512 * 1024))));
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
    private static void format(Path dataDir) {
        String logDir = dataDir.resolve("logs").toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir)
                    .addDirectory(logDir)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the embedded broker's log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
            }
        }
        throw new IllegalStateException("the embedded Kafka broker at " + bootstrap + " was not ready within "
                + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            System.err.println("could not delete the embedded broker's directory " + dir + ": " + e.getMessage());
        }
    }
}

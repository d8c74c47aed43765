package dev.compliance.proofs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.compliance.it.PipelineContainers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft broker in Docker: Testcontainers' KafkaContainer as in
 * {@link PipelineContainers#newBroker()} (image from {@code -Dkafka.image}, default apache/kafka:4.3.1), with
 * one difference: its client port is bound to a fixed host port, so that {@link #crashAndRestart()} can SIGKILL
 * the broker and start the same container again with the same advertised address and the same log directory
 * (the container's filesystem survives; the broker recovers its logs on start).
 */
final class Broker implements AutoCloseable {

    private final KafkaContainer container;
    private final int hostPort;

    private Broker(KafkaContainer container, int hostPort) {
        this.container = container;
        this.hostPort = hostPort;
    }

    static Broker start() {
        int hostPort = freePort();
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(PipelineContainers.KAFKA_IMAGE)
                .asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                // -Dproofs.debug=true: the transaction and group coordinators at DEBUG (Broker#saveLogs keeps them)
                .withEnv(Boolean.getBoolean(AppProcess.DEBUG_PROPERTY) ? Map.of("KAFKA_LOG4J_LOGGERS",
                        "org.apache.kafka.coordinator.transaction=DEBUG,kafka.coordinator.transaction=DEBUG,"
                                + "org.apache.kafka.coordinator.group=DEBUG") : Map.of())
                .withStartupTimeout(Duration.ofMinutes(3))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(9092))));
        container.start();
        return new Broker(container, hostPort);
    }

    String bootstrapServers() {
        return "localhost:" + hostPort;
    }

    /** docker kill (SIGKILL) then docker start of the same container; returns once the broker answers again. */
    void crashAndRestart() {
        DockerClient docker = DockerClientFactory.instance().client();
        String id = container.getContainerId();
        docker.killContainerCmd(id).withSignal("KILL").exec();
        Poll.until("the broker container to stop after SIGKILL", Duration.ofSeconds(60),
                () -> !Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning()));
        docker.startContainerCmd(id).exec();
        awaitAnswering(Duration.ofSeconds(120));
    }

    /** Waits until the broker answers a describeCluster on its fixed address. */
    void awaitAnswering(Duration bound) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            Poll.until("the broker at " + bootstrapServers() + " to answer", bound, () -> {
                try {
                    return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                            .get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    /** Writes the broker's output so far (every start of the container) to {@code file}. */
    void saveLogs(Path file) {
        try {
            Files.writeString(file, container.getLogs());
        } catch (IOException | RuntimeException e) {
            // the logs help a diagnosis; missing them does not change a verdict
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}

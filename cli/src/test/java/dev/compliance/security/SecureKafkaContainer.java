package dev.compliance.security;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The secure broker of ops/security in a container, configured exactly as docker-compose.secure.yml
 * configures it: broker.env, make-certs.sh's broker/ files at /etc/kafka/secrets and the start script
 * that formats storage with the SCRAM users. Only the advertised HOST listener differs (the mapped port).
 * Image: -Dkafka.image (apache/kafka:4.3.1 or the compatible compliance-local/kafka:4.3.1).
 */
final class SecureKafkaContainer extends GenericContainer<SecureKafkaContainer> {

    static final int HOST_PORT = 29092;
    private static final String SECRETS = "/etc/kafka/secrets/";
    private static final String STARTER = "/tmp/advertised-listeners.sh";

    SecureKafkaContainer(SecureProfile profile) {
        super(DockerImageName.parse(System.getProperty("kafka.image", "apache/kafka:4.3.1")));
        withEnv(profile.brokerEnvironment());
        withEnv("CLUSTER_ID", "c2VjdXJlLXByb2ZpbGUtMQ");
        withEnv("KAFKA_HEAP_OPTS", "-Xmx512m -Xms256m");
        withExposedPorts(HOST_PORT);
        try (Stream<Path> files = Files.list(profile.brokerSecrets())) {
            files.forEach(f -> withCopyToContainer(MountableFile.forHostPath(f, 0644), SECRETS + f.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        withCopyToContainer(MountableFile.forHostPath(profile.startScript(), 0755), "/opt/compliance/start-secure-broker.sh");
        // The advertised address needs the mapped port, known only once the container runs: wait for it.
        withCommand("bash", "-c", "while [ ! -f " + STARTER + " ]; do sleep 0.1; done; . " + STARTER
                + "; exec bash /opt/compliance/start-secure-broker.sh");
        waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
    }

    @Override
    protected void containerIsStarting(InspectContainerResponse containerInfo) {
        String listeners = "CLIENT://localhost:9092,HOST://" + getHost() + ":" + getMappedPort(HOST_PORT)
                + ",BROKER://localhost:9091";
        copyFileToContainer(Transferable.of("export KAFKA_ADVERTISED_LISTENERS=" + listeners + "\n", 0644), STARTER);
    }

    String bootstrapServers() {
        return getHost() + ":" + getMappedPort(HOST_PORT);
    }
}

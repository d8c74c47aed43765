package dev.compliance.bench.e2e;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker the end-to-end benchmark measures against, always outside the measuring JVM: a Docker
 * container (Testcontainers, the project's local image), else the project's embedded broker started
 * in a child JVM, else an existing cluster given by address.
 */
public interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    /** One line for the report: what broker this is. */
    String description();

    @Override
    void close();

    List<String> IMAGES = List.of("compliance-local/kafka:4.3.1", "apache/kafka:4.3.1");

    /** {@code mode}: auto (Docker if usable, else a child JVM), docker, or embedded. */
    static BenchBroker start(String mode) {
        if (!mode.equals("embedded")) {
            String image = usableDockerImage();
            if (image != null) {
                return new Container(image);
            }
            if (mode.equals("docker")) {
                throw new IllegalStateException("--broker docker: Docker is not usable or neither of " + IMAGES
                        + " is present (build it with ops/images/build-kafka-image.sh)");
            }
        }
        return new ChildJvm();
    }

    static BenchBroker external(String bootstrapServers) {
        return new BenchBroker() {
            public String bootstrapServers() {
                return bootstrapServers;
            }

            public String description() {
                return "existing cluster at " + bootstrapServers;
            }

            public void close() {
            }
        };
    }

    /** The first of {@link #IMAGES} present locally, or null when Docker does not answer. */
    private static String usableDockerImage() {
        if (run("docker", "info") != 0) {
            return null;
        }
        for (String image : IMAGES) {
            if (run("docker", "image", "inspect", image) == 0) {
                return image;
            }
        }
        return null;
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A broker container, as the project's integration tests start it. */
    final class Container implements BenchBroker {
        private final KafkaContainer kafka;
        private final String image;

        Container(String image) {
            this.image = image;
            this.kafka = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
            kafka.start();
        }

        public String bootstrapServers() {
            return kafka.getBootstrapServers();
        }

        public String description() {
            return "Docker container " + image + " (Testcontainers KafkaContainer, single KRaft node), reached at "
                    + kafka.getBootstrapServers();
        }

        public void close() {
            kafka.stop();
        }
    }

    /** The project's EmbeddedKafkaBroker in a child JVM (see {@link BrokerProcess}). */
    final class ChildJvm implements BenchBroker {
        private final Process process;
        private final String bootstrap;

        ChildJvm() {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            try {
                Path log = Files.createTempFile("bench-broker", ".log");
                process = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                        BrokerProcess.class.getName())
                        .redirectError(log.toFile())
                        .start();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                if (line == null || !line.startsWith(BrokerProcess.READY)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the broker JVM did not start; see " + log);
                }
                bootstrap = line.substring(BrokerProcess.READY.length()).trim();
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "broker-stdout"); // never let its pipe fill
                drain.setDaemon(true);
                drain.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the broker JVM: " + e.getMessage(), e);
            }
        }

        public String bootstrapServers() {
            return bootstrap;
        }

        public String description() {
            return "EmbeddedKafkaBroker in a child JVM (pid " + process.pid() + ", -Xmx1g) at " + bootstrap;
        }

        public void close() {
            process.destroy(); // SIGTERM: the child's shutdown hook stops the broker and deletes its data
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

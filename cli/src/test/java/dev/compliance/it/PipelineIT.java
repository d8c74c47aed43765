package dev.compliance.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Base of the pipeline's integration tests: each test class gets its own broker (so no two classes see
 * each other's topics) and a running pipeline on it, with the JVM's shared real registry.
 */
abstract class PipelineIT {

    protected static KafkaContainer broker;
    protected static RunningPipeline pipeline;

    @BeforeAll
    static void startBrokerAndPipeline() throws Exception {
        broker = PipelineContainers.newBroker();
        pipeline = new RunningPipeline(broker.getBootstrapServers(), PipelineContainers.registryUrl());
    }

    @AfterAll
    static void stopPipelineAndBroker() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}

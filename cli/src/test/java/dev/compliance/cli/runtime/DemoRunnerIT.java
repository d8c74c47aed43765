package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The whole demo, with the serde's in-process registry (the Apicurio one is exercised by DemoPolicyIT, which
 * runs the shipped {@code demo}). An integration test (Failsafe): it starts the embedded broker, not Docker.
 */
class DemoRunnerIT {

    @Test
    void sendsTheEventsWaitsForEveryOutputAndPrintsTheSummary() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        int code = new DemoRunner(new DemoRunner.Options(500, 0, 7, Duration.ofSeconds(120), true), out).run();

        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(code).isZero();
        assertThat(output)
                .contains("all 500 events sent; waiting for the outputs to catch up...")
                .contains("Summary after")
                .contains(" 500 events in, ")
                .contains("Violations by code")
                .contains("Retention schedules by kind");
    }
}

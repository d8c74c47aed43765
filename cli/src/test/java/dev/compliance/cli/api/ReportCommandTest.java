package dev.compliance.cli.api;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.cli.Main;
import dev.compliance.cli.runtime.HealthServer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;

import static dev.compliance.cli.api.LedgerApiTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code compliance report} against the API over the topology's stores. */
class ReportCommandTest {

    private LedgerDriver driver;
    private HealthServer server;
    private String base;

    @BeforeEach
    void start() {
        driver = new LedgerDriver(T0);
        LedgerApiTest events = new LedgerApiTest();
        driver.policy(LedgerApiTest.org("acme"));
        driver.event(events.event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC, T0, Action.USE));
        driver.event(events.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE, T0, Action.USE));
        server = HealthServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, Map::of);
        server.register("/api/", new LedgerApi(driver.queries(), Owners.ALONE, null, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofDays(400)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        driver.close();
    }

    record Run(int exit, String out, String err) {
    }

    private Run report(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cmd = Main.commandLine();
            cmd.setErr(new PrintWriter(err, true));
            int exit = cmd.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void retentionAsCsvTableAndJson() {
        Run csv = report("report", "retention", "--org", "acme", "--url", base, "--format", "csv");
        assertThat(csv.exit()).as(csv.err()).isZero();
        assertThat(csv.out().split("\r\n")).containsExactlyInAnyOrder("kind,plan,feature,effectiveClass,count",
                "FIXED,API,BATCH_API,PUBLIC,1", "UNTIL_DELETED,TEAM,CHAT,SENSITIVE,1");

        Run table = report("report", "retention", "--org", "acme", "--url", base, "--at", "2026-05-29");
        assertThat(table.out()).contains("held:          2 items (FIXED 1, UNTIL_DELETED 1)").contains("last day indefinite");

        Run json = report("report", "retention", "--org", "acme", "--url", base, "--format", "json", "--at", "2026-05-30");
        assertThat(json.out()).contains("\"heldTotal\" : 1");
    }

    @Test
    void violationsByDayAndTheRecentFeed() {
        Run byDay = report("report", "violations", "--org", "acme", "--url", base, "--format", "csv");
        assertThat(byDay.out()).contains("2026-05-01,SENSITIVE_WITHOUT_ZDR,1");
        Run recent = report("report", "violations", "--url", base);
        assertThat(recent.out()).contains("SENSITIVE_WITHOUT_ZDR").contains("acme");
    }

    @Test
    void aRefusalIsOneLineAndExitTwo() {
        Run unknown = report("report", "retention", "--org", "nobody", "--url", base);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("compliance report retention: unknown org 'nobody': no event of it has been seen (see /api/orgs) (HTTP 404)");
        Run down = report("report", "retention", "--org", "acme", "--url", "http://127.0.0.1:1");
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.err().strip()).contains("cannot reach the API at http://127.0.0.1:1").doesNotContain("\n");
        Run format = report("report", "retention", "--org", "acme", "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err().lines().count()).isEqualTo(1);
        assertThat(report("report").exit()).isEqualTo(2);
    }
}

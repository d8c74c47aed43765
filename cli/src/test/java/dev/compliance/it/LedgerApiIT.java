package dev.compliance.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.Action;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.cli.api.LedgerApi;
import dev.compliance.cli.runtime.HealthServer;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's API and console on a real broker: a few thousand usage events (USE and DELETE, over the last
 * 120 days, so that much has expired) through the pipeline; then
 * <ul>
 *   <li>{@code compliance.retention} is recounted by brute force ({@link RetentionRecount}) and compared with the
 *       API's answer for every org, on days before, at and after today (expiries and deletions included);</li>
 *   <li>headless Chromium (Debian's chromium and chromedriver, ops/install-chromium.sh) loads the console: no
 *       console errors, the feed shows the newest violations of {@code compliance.violations}, an org page
 *       draws its chart and shows the API's numbers. Screenshots: target/console-*.png.</li>
 * </ul>
 */
class LedgerApiIT extends PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int EVENTS = 2000;
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static HealthServer server;
    private static String base;
    private static List<RetentionEvent> retention;
    private static List<Violation> violations;

    @BeforeAll
    static void eventsThroughThePipeline() throws Exception {
        List<String> orgs = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            orgs.add(String.format("org-%02d", i));
        }
        orgs.add("acme|eu"); // a bar in the id: the typed store keys keep it apart
        List<OrgPolicy> policies = new ArrayList<>();
        for (int i = 0; i < orgs.size(); i++) {
            policies.add(OrgPolicy.newBuilder().setOrgId(orgs.get(i)).setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z"))
                    .setZdrEnabled(i % 4 == 0).setBaaSigned(i % 5 == 0).setDevelopmentPartnerProgram(false)
                    .setAllowedPlans(List.of()).setCustomRetentionDays(i % 3 == 0 ? 90 : null).setLocalTranscriptDays(30).build());
        }
        pipeline.publishPolicies(policies);

        List<CatalogEntry> paths = PolicyCatalog.load().entries();
        Random random = new Random(14);
        Instant now = Instant.now();
        try (var producer = pipeline.producer(Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(pipeline.config).serializer())) {
            for (int n = 0; n < EVENTS; n++) {
                String org = orgs.get(random.nextInt(orgs.size()));
                boolean delete = random.nextInt(8) == 0;
                CatalogEntry path = delete && random.nextBoolean()
                        ? paths.stream().filter(p -> p.getFeature().name().equals("CHAT") && p.getPlan().name().matches("TEAM|ENTERPRISE"))
                            .skip(random.nextInt(2)).findFirst().orElseThrow()
                        : paths.get(random.nextInt(paths.size()));
                UsageEvent e = UsageEvent.newBuilder().setEventId("ledger-it-" + n)
                        .setEventTime(now.minus(Duration.ofMinutes(random.nextInt(120 * 24 * 60))))
                        .setOrgId(org).setUserId(random.nextInt(10) == 0 ? "unknown" : "user-" + random.nextInt(30) + "@" + org)
                        .setDeviceId("device-" + random.nextInt(50))
                        .setPlan(path.getPlan()).setFeature(path.getFeature())
                        .setDataClass(DataClass.values()[random.nextInt(DataClass.values().length)])
                        .setAction(delete ? Action.DELETE : Action.USE).setSource(EventSource.MANUAL).build();
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), org, e));
            }
        }
        awaitInputCommitted();
        retention = readAll(Topics.RETENTION.name(), Topics.RETENTION.valueSerde(pipeline.config).deserializer());
        violations = readAll(Topics.VIOLATIONS.name(), Topics.VIOLATIONS.valueSerde(pipeline.config).deserializer());

        server = HealthServer.start("127.0.0.1", 0, pipeline::state, pipeline.streams()::metrics);
        LedgerApi.mount(server, pipeline.streams(), pipeline.config);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theApiAgreesWithABruteForceRecountOfTheRetentionTopicForEveryOrg() throws Exception {
        RetentionRecount recount = new RetentionRecount(retention);
        assertThat(recount.byOrg).hasSize(20);
        JsonNode orgs = get("/api/orgs?size=500");
        assertThat(orgs.get("items").findValuesAsText("orgId")).containsExactlyElementsOf(recount.byOrg.keySet());
        long deletesThatMoved = recount.byOrg.values().stream().flatMap(List::stream).filter(i -> i.released != null).count();
        assertThat(deletesThatMoved).as("deletions moved until-deleted content onto its clock").isPositive();

        List<LocalDate> days = List.of(TODAY.minusDays(100), TODAY.minusDays(45), TODAY.minusDays(1), TODAY, TODAY.plusDays(1),
                TODAY.plusDays(29), TODAY.plusDays(31), TODAY.plusDays(365), TODAY.plusDays(800), TODAY.plusDays(4000));
        for (String org : recount.byOrg.keySet()) {
            for (LocalDate day : days) {
                RetentionRecount.Answer expected = recount.at(org, day);
                JsonNode api = get("/api/orgs/" + segment(org) + "/retention?size=500&at=" + day);
                String what = org + " at " + day;
                assertThat(api.get("heldTotal").asLong()).as(what + " held").isEqualTo(expected.heldTotal());
                Map<String, Long> rows = new LinkedHashMap<>();
                api.get("items").forEach(h -> rows.put(h.get("kind").asText() + "/" + h.get("plan").asText() + "/"
                        + h.get("feature").asText() + "/" + (h.get("effectiveClass").isNull() ? null : h.get("effectiveClass").asText()),
                        h.get("count").asLong()));
                assertThat(rows).as(what + " held rows").isEqualTo(expected.rows());
                assertThat(api.get("worstCaseHeld").asLong()).as(what + " worst case").isEqualTo(expected.worstCaseHeld());
                assertThat(api.get("untilDeleted").get("count").asLong()).as(what + " until deleted").isEqualTo(expected.untilDeleted());
                long going = 0;
                for (JsonNode p : api.get("schedule")) {
                    going += p.get("count").asLong();
                }
                assertThat(going).as(what + " scheduled to go").isEqualTo(expected.going());
            }
        }
    }

    @Test
    void theConsoleShowsTheTopicsViolationsAndAnOrgPageWithTheApisNumbers() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        WebDriver browser = chromium();
        try {
            browser.get(base + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#feed tbody tr")).size() == 25);
            List<String> shown = browser.findElements(By.cssSelector("#feed tbody tr")).stream()
                    .map(row -> row.getAttribute("data-violation")).toList();
            List<String> newest = violations.stream()
                    .sorted(Comparator.comparing(Violation::getEventTime).reversed().thenComparing(Violation::getViolationId))
                    .limit(25).map(Violation::getViolationId).toList();
            assertThat(shown).as("the feed's first page is the topic's 25 newest violations").isEqualTo(newest);
            String firstRow = browser.findElement(By.cssSelector("#feed tbody tr")).getText();
            Violation top = violations.stream().filter(v -> v.getViolationId().equals(newest.get(0))).findFirst().orElseThrow();
            assertThat(firstRow).contains(top.getCode().name()).contains(top.getOrgId()).contains(top.getSeverity().name())
                    .contains(top.getCitations().get(0));
            wait.until(d -> d.findElements(By.cssSelector("#org-list li")).size() == 20);
            screenshot(browser, target.resolve("console-feed.png"));

            browser.findElement(By.id("org-search")).sendKeys("ACME");
            wait.until(d -> d.findElements(By.cssSelector("#org-list li")).size() == 1);
            browser.findElement(By.cssSelector("#org-list li a")).click();
            String org = "acme|eu";
            JsonNode retentionNow = get("/api/orgs/" + segment(org) + "/retention");
            JsonNode violationsNow = get("/api/orgs/" + segment(org) + "/violations");
            wait.until(d -> "true".equals(d.findElement(By.id("exposure-chart")).getAttribute("data-drawn"))
                    && !d.findElement(By.id("violation-count")).getText().equals("-"));
            assertThat(browser.findElement(By.id("org-title")).getText()).isEqualTo(org);
            assertThat(browser.findElement(By.id("held-total")).getText()).isEqualTo(retentionNow.get("heldTotal").asText());
            assertThat(browser.findElement(By.id("worst-held")).getText()).isEqualTo(retentionNow.get("worstCaseHeld").asText());
            assertThat(browser.findElement(By.id("worst-horizon")).getText()).isEqualTo(retentionNow.get("worstCaseHorizon").asText());
            assertThat(browser.findElement(By.id("until-deleted")).getText()).isEqualTo(retentionNow.get("untilDeleted").get("count").asText());
            assertThat(browser.findElement(By.id("violation-count")).getText()).isEqualTo(violationsNow.get("violationCount").asText());
            WebElement chart = browser.findElement(By.id("exposure-chart"));
            assertThat(chart.getAttribute("data-points")).isEqualTo("61");
            assertThat(chart.getAttribute("data-first-held")).isEqualTo(retentionNow.get("heldTotal").asText());
            Object painted = ((JavascriptExecutor) browser).executeScript(
                    "var c = document.getElementById('exposure-chart'); var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                            + " var n = 0; for (var i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } } return n;");
            assertThat(((Number) painted).longValue()).as("pixels the chart painted").isGreaterThan(1000);
            List<String> heldRows = browser.findElements(By.cssSelector("#held-table tbody tr")).stream().map(WebElement::getText).toList();
            assertThat(heldRows).hasSize(Math.min(20, retentionNow.get("items").size()));
            screenshot(browser, target.resolve("console-org.png"));

            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertThat(errors).as("browser console errors").isEmpty();
        } finally {
            browser.quit();
        }
    }

    /** Headless Chromium from Debian's packages, pointed at explicitly, with a fresh profile. */
    private static WebDriver chromium() throws Exception {
        String binary = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        assertThat(Path.of(binary)).as("Chromium (ops/install-chromium.sh installs it)").isExecutable();
        assertThat(Path.of(driver)).as("chromedriver (ops/install-chromium.sh installs it)").isExecutable();
        Path profile = Files.createTempDirectory("console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1100");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, Path file) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Waits until the app has committed every usage event (exactly-once: its outputs are committed with them). */
    private static void awaitInputCommitted() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.USAGE_EVENTS.partitions(); p++) {
                latest.put(new TopicPartition(Topics.USAGE_EVENTS.name(), p), OffsetSpec.latest());
            }
            PipelineContainers.await("the app to commit every usage event", Duration.ofMinutes(3), () -> {
                try {
                    var ends = admin.listOffsets(latest).all().get();
                    var committed = admin.listConsumerGroupOffsets(pipeline.applicationId()).partitionsToOffsetAndMetadata().get();
                    return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue().offset());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /** Every committed record of a topic (read_committed, from the start to the end of every partition). */
    private static <V> List<V> readAll(String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
        Map<String, Object> props = Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers,
                org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<V> read = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, Serdes.String().deserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            PipelineContainers.await(topic + " read to its end", Duration.ofMinutes(2), () -> {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    read.add(r.value());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
        return read;
    }
}

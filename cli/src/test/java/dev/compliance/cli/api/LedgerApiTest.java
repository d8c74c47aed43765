package dev.compliance.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.cli.runtime.HealthServer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The API over the topology's stores (TopologyTestDriver), through a real HTTP listener on loopback. */
class LedgerApiTest {

    static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private int sequence;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static OrgPolicy org(String id) {
        return OrgPolicy.newBuilder().setOrgId(id).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setZdrEnabled(false).setBaaSigned(false).setDevelopmentPartnerProgram(false)
                .setAllowedPlans(List.of()).setCustomRetentionDays(null).setLocalTranscriptDays(30).build();
    }

    UsageEvent event(String org, Plan plan, Feature feature, DataClass dataClass, Instant at, Action action) {
        return UsageEvent.newBuilder().setEventId("e" + (++sequence)).setEventTime(at).setOrgId(org)
                .setUserId("alice@" + org + ".example").setPlan(plan).setFeature(feature).setDataClass(dataClass)
                .setDataTags(List.of()).setAction(action).setResourceId(null).setTrainingOptIn(null)
                .setIncognito(false).setSessionId(null).setSource(EventSource.MANUAL).setRequestCount(null).build();
    }

    private LedgerDriver driver() {
        LedgerDriver d = new LedgerDriver(T0);
        open.add(d);
        return d;
    }

    private String serve(LedgerDriver d, Owners owners, String token) {
        HealthServer server = HealthServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, Map::of);
        open.add(server);
        server.register("/api/", new LedgerApi(d.queries(), owners, token, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofDays(400)));
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String url, String... headers) throws Exception {
        HttpResponse<String> r = get(url, headers);
        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void answersRetentionViolationsOrgsAndTheFeed() throws Exception {
        LedgerDriver d = driver();
        for (String o : List.of("acme", "acme|eu", "beta corp")) {
            d.policy(org(o));
        }
        d.event(event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC, T0, Action.USE));
        d.event(event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE, T0, Action.USE));
        d.event(event("acme|eu", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC, T0, Action.USE));
        d.event(event("beta corp", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC, T0, Action.USE));
        String base = serve(d, Owners.ALONE, null);

        JsonNode orgs = json(base + "/api/orgs?size=2");
        assertThat(orgs.get("total").asInt()).isEqualTo(3);
        assertThat(orgs.get("items")).hasSize(2);
        assertThat(json(base + "/api/orgs?q=BETA").get("items").get(0).get("orgId").asText()).isEqualTo("beta corp");

        JsonNode retention = json(base + "/api/orgs/acme/retention");
        assertThat(retention.get("heldTotal").asLong()).isEqualTo(2);
        assertThat(retention.get("heldByKind").get("UNTIL_DELETED").asLong()).isEqualTo(1);
        assertThat(retention.get("worstCaseHorizon").asText()).isEqualTo("indefinite");
        assertThat(retention.get("items")).hasSize(2);
        assertThat(retention.get("exposure")).hasSize(61);
        assertThat(json(base + "/api/orgs/acme%7Ceu/retention").get("heldTotal").asLong()).isEqualTo(1);
        assertThat(json(base + "/api/orgs/beta%20corp/retention?at=2026-04-30").get("heldTotal").asLong()).isZero();

        JsonNode violations = json(base + "/api/orgs/acme/violations");
        assertThat(violations.get("byCode").get("SENSITIVE_WITHOUT_ZDR").asLong()).isEqualTo(1);
        assertThat(violations.get("items").get(0).get("day").asText()).isEqualTo("2026-05-01");

        JsonNode recent = json(base + "/api/violations/recent");
        assertThat(recent.get("items")).isNotEmpty();
        assertThat(recent.get("items").get(0).get("message").asText()).isNotBlank();
        assertThat(json(base + "/api/openapi.json").get("openapi").asText()).startsWith("3.");
    }

    @Test
    void badInputGetsAFourHundredWithOneLineOfJson() throws Exception {
        LedgerDriver d = driver();
        d.policy(org("acme"));
        d.event(event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC, T0, Action.USE));
        String base = serve(d, Owners.ALONE, null);
        assertError(get(base + "/api/orgs/nobody/retention"), 404, "unknown org 'nobody'");
        assertError(get(base + "/api/orgs/acme/retention?at=2026-13-01"), 400, "at must be a day");
        assertError(get(base + "/api/orgs/acme/retention?at=2024-01-01"), 400, "before the history kept");
        assertError(get(base + "/api/orgs?size=501"), 400, "size must be a whole number from 1 to 500");
        assertError(get(base + "/api/orgs?page=0"), 400, "page must be");
        assertError(get(base + "/api/orgs/acme/violations?from=2026-05-02&to=2026-05-01"), 400, "is after");
        assertError(get(base + "/api/nothing"), 404, "no API at /api/nothing");
    }

    @Test
    void withATokenEveryCallNeedsIt() throws Exception {
        LedgerDriver d = driver();
        String base = serve(d, Owners.ALONE, "s3cret-token");
        assertError(get(base + "/api/orgs"), 401, "Authorization: Bearer");
        assertError(get(base + "/api/orgs", "Authorization", "Bearer wrong"), 401, "Authorization: Bearer");
        assertThat(json(base + "/api/orgs", "Authorization", "Bearer s3cret-token").get("total").asInt()).isZero();
    }

    @Test
    void anyInstanceAnswersForAnyOrgByAskingItsOwner() throws Exception {
        LedgerDriver here = driver();
        LedgerDriver there = driver();
        here.policy(org("local-org"));
        here.event(event("local-org", Plan.API, Feature.BATCH_API, DataClass.PUBLIC, T0, Action.USE));
        there.policy(org("remote-org"));
        there.event(event("remote-org", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE, T0, Action.USE));
        there.event(event("remote-org", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE, T0, Action.USE));
        String thereBase = serve(there, Owners.ALONE, "t");
        Owners split = new Owners() {
            @Override
            public Optional<URI> ownerOf(String orgId) {
                return orgId.equals("remote-org") ? Optional.of(URI.create(thereBase)) : Optional.empty();
            }

            @Override
            public List<URI> others() {
                return List.of(URI.create(thereBase));
            }
        };
        String hereBase = serve(here, split, "t");
        String[] auth = {"Authorization", "Bearer t"};
        assertThat(json(hereBase + "/api/orgs/remote-org/retention", auth).get("heldTotal").asLong()).isEqualTo(2);
        assertThat(json(hereBase + "/api/orgs", auth).get("items").findValuesAsText("orgId")).containsExactly("local-org", "remote-org");
        int ownerCount = json(thereBase + "/api/violations/recent?org=remote-org", auth).get("total").asInt();
        assertThat(ownerCount).isPositive();
        assertThat(json(hereBase + "/api/violations/recent?org=remote-org", auth).get("total").asInt()).isEqualTo(ownerCount);
    }

    private static void assertError(HttpResponse<String> r, int status, String text) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body().strip()).doesNotContain("\n");
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains(text);
    }
}

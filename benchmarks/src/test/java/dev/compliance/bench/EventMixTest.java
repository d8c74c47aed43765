package dev.compliance.bench;

import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.rules.EventContext;
import dev.compliance.streams.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks' event mix is deterministic and exercises every rule. */
class EventMixTest {

    private static final Instant T = Instant.parse("2026-05-01T00:00:00Z");
    private final PolicyCatalog catalog = PolicyCatalog.load();

    @Test
    void theSameSeedGivesTheSameEvents() {
        EventMix a = new EventMix(42, 200);
        EventMix b = new EventMix(42, 200);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.next(T)).isEqualTo(b.next(T));
        }
        assertThat(a.policies()).isEqualTo(b.policies());
    }

    @Test
    void theMixRaisesEveryViolationCodeAndMostEventsRaiseNone() {
        EventMix mix = new EventMix(42, 200);
        Set<ViolationCode> seen = EnumSet.noneOf(ViolationCode.class);
        int clean = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            var violations = Rules.judge(context(mix, mix.next(T)));
            violations.stream().map(Violation::getCode).forEach(seen::add);
            clean += violations.isEmpty() ? 1 : 0;
        }
        assertThat(seen).containsExactlyInAnyOrder(ViolationCode.values());
        assertThat(clean).isBetween(n / 2, n * 9 / 10);
    }

    @Test
    void aCertainViolationRaisesCredentialsExposed() {
        EventMix mix = new EventMix(7, 200);
        for (int i = 0; i < 500; i++) {
            assertThat(Rules.judge(context(mix, mix.certainViolation(T)))).extracting(Violation::getCode)
                    .contains(ViolationCode.CREDENTIALS_EXPOSED);
        }
    }

    private EventContext context(EventMix mix, UsageEvent e) {
        return new EventContext(e, mix.policy(e.getOrgId()), catalog.entry(e.getPlan(), e.getFeature()));
    }
}

package dev.compliance.bench.jmh;

import dev.compliance.avro.UsageEvent;
import dev.compliance.bench.EventMix;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.rules.EventContext;

import java.time.Duration;
import java.time.Instant;

/** Fixed inputs shared by the micro-benchmarks: the event mix, made once per trial. */
final class Contexts {

    /** Events per benchmark input set: large enough to defeat branch prediction on a single event. */
    static final int SIZE = 8192;
    static final long SEED = 42;
    static final int ORGS = 200;
    static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private Contexts() {
    }

    static UsageEvent[] events(EventMix mix) {
        UsageEvent[] events = new UsageEvent[SIZE];
        for (int i = 0; i < SIZE; i++) {
            events[i] = mix.next(START.plus(Duration.ofSeconds(i)));
        }
        return events;
    }

    /** Each event with its org policy (null for an org with none) and its catalog row, as the topology joins them. */
    static EventContext[] contexts() {
        EventMix mix = new EventMix(SEED, ORGS);
        PolicyCatalog catalog = PolicyCatalog.load();
        UsageEvent[] events = events(mix);
        EventContext[] contexts = new EventContext[SIZE];
        for (int i = 0; i < SIZE; i++) {
            UsageEvent e = events[i];
            contexts[i] = new EventContext(e, mix.policy(e.getOrgId()), catalog.entry(e.getPlan(), e.getFeature()));
        }
        return contexts;
    }
}

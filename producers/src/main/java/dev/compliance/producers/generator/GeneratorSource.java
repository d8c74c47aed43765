package dev.compliance.producers.generator;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.Waiter;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code ./compliance produce generator}: sends generated events at a target rate until the count is reached or the
 * waiter says stop, and first (on request) the sample org policies. Reports progress every tenth of the count (or every
 * 10,000 events when unbounded) and a summary at the end.
 */
public class GeneratorSource {

    private final GeneratorOptions options;
    private final RecordSink<UsageEvent> events;
    private final RecordSink<OrgPolicy> policies;
    private final Progress progress;
    private final Waiter waiter;
    private final LongSupplier nanoTime;

    /**
     * @param policies where sample org policies go; may be null when {@code publishPolicies} is false
     * @param waiter   a {@link dev.compliance.producers.StopSignal} in production
     * @param nanoTime {@code System::nanoTime} in production
     */
    public GeneratorSource(GeneratorOptions options, RecordSink<UsageEvent> events, RecordSink<OrgPolicy> policies,
                           Progress progress, Waiter waiter, LongSupplier nanoTime) {
        this.options = options;
        this.events = events;
        this.policies = policies;
        this.progress = progress;
        this.waiter = waiter;
        this.nanoTime = nanoTime;
    }

    /** Runs to the end; returns how many events were sent (and acknowledged). */
    public long call() {
        UsageEventGenerator generator = new UsageEventGenerator(options.generator());
        if (options.publishPolicies()) {
            List<OrgPolicy> sample = generator.orgPolicies();
            sample.forEach(policies::send);
            policies.flush();
            progress.report("published " + sample.size() + " org policies for " + generator.orgs().size() + " orgs");
        }
        long reportEvery = options.count() > 0 ? Math.max(1, options.count() / 10) : 10_000;
        TokenBucket bucket = new TokenBucket(options.ratePerSecond(), nanoTime, waiter);
        long started = nanoTime.getAsLong();
        long sent = 0;
        while ((options.count() == 0 || sent < options.count()) && bucket.acquire()) {
            events.send(generator.next());
            sent++;
            if (sent % reportEvery == 0) {
                progress.report("sent " + sent + (options.count() > 0 ? " of " + options.count() : "") + " events");
            }
        }
        events.flush();
        double seconds = Math.max(1e-9, (nanoTime.getAsLong() - started) / 1e9);
        progress.report(String.format("done: %d events in %.1f s (%.0f events/s)", sent, seconds, sent / seconds));
        return sent;
    }
}

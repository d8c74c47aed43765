package dev.compliance.cli.runtime;

import org.apache.kafka.streams.KafkaStreams;

import java.util.function.LongSupplier;

/**
 * Tells a stuck app from a healthy one, for {@code /health}, {@code /metrics} and one log line.
 *
 * <p>An app is unhealthy when it is in a state it cannot work in (CREATED, PENDING_SHUTDOWN, NOT_RUNNING,
 * ERROR, PENDING_ERROR); when it has been REBALANCING longer than the bound (a rebalance normally takes
 * seconds; after a broker restart one once never ended, with the stream thread waiting in
 * {@code fetchCommittedOffsets}); or when it is RUNNING while its input lags and it has processed nothing
 * for longer than the bound. Idle with no lag is healthy. The bound is {@code compliance.health.stall.ms}.
 *
 * <p>Not thread-safe on its own: {@link HealthServer} calls it from its single request thread.
 */
public final class StallDetector {

    /** What a check found. {@code reason} is null when healthy. */
    public record Verdict(KafkaStreams.State state, boolean healthy, String reason, long millisSinceProgress) {
    }

    private final long boundMs;
    private final LongSupplier clock;
    private long notRunningSince = -1;
    private long lastProgressAt;
    private long lastProgress = Long.MIN_VALUE;

    public StallDetector(long boundMs, LongSupplier clock) {
        this.boundMs = boundMs;
        this.clock = clock;
        this.lastProgressAt = clock.getAsLong();
    }

    /**
     * @param progress a counter that grows as records are processed (the stream threads' process-total)
     * @param lag      records the app's consumers are behind on their input (0 when caught up)
     */
    public Verdict check(KafkaStreams.State state, long progress, long lag) {
        long now = clock.getAsLong();
        if (progress != lastProgress || lag <= 0) {
            lastProgress = progress;
            lastProgressAt = now;
        }
        long sinceProgress = now - lastProgressAt;
        if (state == KafkaStreams.State.RUNNING) {
            notRunningSince = -1;
            if (sinceProgress > boundMs) {
                return new Verdict(state, false, "no progress for " + seconds(sinceProgress) + " while the input lags by "
                        + lag + " records (bound " + seconds(boundMs) + ", compliance.health.stall.ms)", sinceProgress);
            }
            return new Verdict(state, true, null, sinceProgress);
        }
        if (notRunningSince < 0) {
            notRunningSince = now;
        }
        if (state != KafkaStreams.State.REBALANCING) {
            return new Verdict(state, false, "Kafka Streams is " + state, sinceProgress);
        }
        long rebalancing = now - notRunningSince;
        if (rebalancing > boundMs) {
            return new Verdict(state, false, "REBALANCING for " + seconds(rebalancing) + " (bound " + seconds(boundMs)
                    + ", compliance.health.stall.ms)", sinceProgress);
        }
        return new Verdict(state, true, null, sinceProgress);
    }

    private static String seconds(long ms) {
        return (ms / 1000) + " s";
    }
}

package dev.compliance.producers.generator;

import dev.compliance.producers.Waiter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Paces a loop to a target rate: the bucket holds up to one second's worth of tokens, refills continuously, and
 * {@link #acquire()} waits (through the {@link Waiter}, so a stop ends the wait) when it is empty.
 */
final class TokenBucket {

    private final double ratePerSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final Waiter waiter;
    private double tokens;
    private long lastRefill;

    /** A rate of zero or less means no limit. */
    TokenBucket(double ratePerSecond, LongSupplier nanoTime, Waiter waiter) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = Math.max(1.0, ratePerSecond);
        this.nanoTime = nanoTime;
        this.waiter = waiter;
        this.tokens = 1.0;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Takes one token, waiting for it if needed; false when the wait was stopped. */
    boolean acquire() {
        if (ratePerSecond <= 0) {
            return waiter.await(Duration.ZERO); // no pause, but a stop still ends the run
        }
        while (true) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * ratePerSecond);
            lastRefill = now;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return true;
            }
            long waitNanos = (long) Math.ceil((1.0 - tokens) / ratePerSecond * 1e9);
            if (!waiter.await(Duration.ofNanos(waitNanos))) {
                return false;
            }
        }
    }
}

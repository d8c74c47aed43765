package dev.compliance.proofs;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition, with a bound. The proofs never assert on time: a bound only turns "never
 * happened" into a clear failure naming what was awaited and what was last seen.
 */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    /** Checks {@code condition} every 100 ms until it holds; fails after {@code bound}. */
    static void until(String what, Duration bound, BooleanSupplier condition) {
        until(what, bound, condition, () -> "");
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}; {@code lastSeen} describes the state in the failure message. */
    static void until(String what, Duration bound, BooleanSupplier condition, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String seen = lastSeen.get();
                throw new AssertionError("gave up waiting (" + bound.toSeconds() + " s) for " + what
                        + (seen.isEmpty() ? "" : "; last seen: " + seen));
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}

package dev.compliance.producers;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a long-running source to stop, and is what the source waits on between requests: a wait ends early when
 * {@link #stop()} is called, so Ctrl-C (a shutdown hook calling stop) ends a back-off or a rate-limit pause at once.
 */
public class StopSignal implements Waiter {

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Waits up to {@code duration}; returns false when stopped before or during the wait. */
    @Override
    public boolean await(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return !isStopped();
        }
        try {
            return !stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return false;
        }
    }
}

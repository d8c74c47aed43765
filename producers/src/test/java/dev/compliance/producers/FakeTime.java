package dev.compliance.producers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when a wait asks it to: tests of pacing and back-off run instantly and never depend on wall time. */
public class FakeTime implements Waiter {

    private long nanos;
    private final List<Duration> waits = new ArrayList<>();
    private int waitsBeforeStop = Integer.MAX_VALUE;

    public long nanoTime() {
        return nanos;
    }

    public void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    /** After this many more waits, the next wait answers "stop". */
    public void stopAfterWaits(int count) {
        waitsBeforeStop = waits.size() + count;
    }

    /** Records positive waits; a zero wait is only the source asking "should I stop?" and is not recorded. */
    @Override
    public boolean await(Duration duration) {
        if (duration.isZero()) {
            return waits.size() < waitsBeforeStop;
        }
        if (waits.size() >= waitsBeforeStop) {
            return false;
        }
        waits.add(duration);
        nanos += duration.toNanos();
        return true;
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }
}

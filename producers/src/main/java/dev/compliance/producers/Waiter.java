package dev.compliance.producers;

import java.time.Duration;

/** A bounded wait between requests (rate limit, back-off). Tests substitute one that only advances a fake clock. */
@FunctionalInterface
public interface Waiter {

    /** Waits up to {@code duration}; returns false when the source should stop instead of going on. */
    boolean await(Duration duration);
}

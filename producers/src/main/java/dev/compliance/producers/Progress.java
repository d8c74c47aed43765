package dev.compliance.producers;

import java.io.PrintStream;

/** Progress lines for the person running a source ("sent 1000 events", "page 3: 512 activities"). */
@FunctionalInterface
public interface Progress {

    void report(String line);

    static Progress to(PrintStream out) {
        return out::println;
    }

    static Progress silent() {
        return line -> { };
    }
}

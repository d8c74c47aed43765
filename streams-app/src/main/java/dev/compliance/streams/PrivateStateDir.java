package dev.compliance.streams;

import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A state directory of one's own, removed on {@link #close()}. Kafka Streams' default state.dir,
 * {@code <java.io.tmpdir>/kafka-streams}, is shared by every run on a machine, and RocksDB's lock makes
 * the second of two concurrent runs with the same application id fail ({@code ProcessorStateException:
 * Error opening store}). Every TopologyTestDriver, {@code compliance evaluate}, the demo, the tests and
 * the benchmarks therefore run in one of these.
 */
public final class PrivateStateDir implements AutoCloseable {

    private final Path path;

    private PrivateStateDir(Path path) {
        this.path = path;
    }

    /** A new empty directory under java.io.tmpdir, named {@code prefix...}. */
    public static PrivateStateDir create(String prefix) {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** A new empty directory under {@code parent}. */
    public static PrivateStateDir create(Path parent, String prefix) {
        try {
            return new PrivateStateDir(Files.createTempDirectory(Files.createDirectories(parent), prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory under " + parent, e);
        }
    }

    public Path path() {
        return path;
    }

    /** The path as the value of {@code state.dir}. */
    @Override
    public String toString() {
        return path.toString();
    }

    /** Deletes the directory and everything in it; a failure is reported on stderr, not thrown. */
    @Override
    public void close() {
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            System.err.println("could not delete the state directory " + path + ": " + e.getMessage());
        }
    }
}

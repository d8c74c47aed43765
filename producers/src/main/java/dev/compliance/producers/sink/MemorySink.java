package dev.compliance.producers.sink;

import dev.compliance.producers.RecordSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps records in memory: the `--dry-run` of the command line and the unit tests use it. */
public class MemorySink<T> implements RecordSink<T> {

    private final List<T> records = new ArrayList<>();
    private int flushes;

    @Override
    public synchronized void send(T record) {
        records.add(record);
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    @Override
    public void close() {
    }

    public synchronized List<T> records() {
        return List.copyOf(records);
    }

    public synchronized int flushes() {
        return flushes;
    }
}

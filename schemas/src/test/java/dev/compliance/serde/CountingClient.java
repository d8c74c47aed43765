package dev.compliance.serde;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Wraps a real client and counts the calls that reach it, to check the serde's caches. */
final class CountingClient implements SchemaRegistryClient {

    final SchemaRegistryClient delegate;
    final AtomicInteger registers = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger latests = new AtomicInteger();

    CountingClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    int total() {
        return registers.get() + lookups.get() + fetches.get() + latests.get();
    }

    @Override public int register(String subject, Schema schema) { registers.incrementAndGet(); return delegate.register(subject, schema); }
    @Override public int lookup(String subject, Schema schema) { lookups.incrementAndGet(); return delegate.lookup(subject, schema); }
    @Override public Schema getById(int id) { fetches.incrementAndGet(); return delegate.getById(id); }
    @Override public SchemaVersion latest(String subject) { latests.incrementAndGet(); return delegate.latest(subject); }
    @Override public Compatibility testCompatibility(String subject, Schema schema) { return delegate.testCompatibility(subject, schema); }
    @Override public void setCompatibility(String subject, String level) { delegate.setCompatibility(subject, level); }
    @Override public String location() { return delegate.location(); }
}

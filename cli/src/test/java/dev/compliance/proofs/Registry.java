package dev.compliance.proofs;

import dev.compliance.registry.LocalSchemaRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The real schema registry of the proofs: {@link LocalSchemaRegistry} (Apicurio, a child process with
 * in-memory storage). An outage is simulated by freezing the process (SIGSTOP) and thawing it (SIGCONT):
 * a restart would lose every schema, a frozen registry keeps them and simply stops answering — connections
 * are accepted by the kernel but no reply comes, so clients hit their request timeout.
 */
final class Registry implements AutoCloseable {

    private final LocalSchemaRegistry registry;
    private final long pid;
    private boolean frozen;

    private Registry(LocalSchemaRegistry registry, long pid) {
        this.registry = registry;
        this.pid = pid;
    }

    static Registry start() {
        LocalSchemaRegistry registry = LocalSchemaRegistry.start();
        String marker = "-Dquarkus.http.port=" + registry.port();
        long pid = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot find the registry's process (" + marker + ")"))
                .pid();
        return new Registry(registry, pid);
    }

    String url() {
        return registry.url();
    }

    /** SIGSTOP: the registry stops answering. */
    synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT: the registry answers again, with every schema it had. */
    synchronized void thaw() {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }

    @Override
    public void close() {
        thaw();
        registry.close();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the registry", e);
        }
    }
}

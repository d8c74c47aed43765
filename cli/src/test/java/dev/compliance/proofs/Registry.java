package dev.compliance.proofs;

import dev.compliance.it.PipelineContainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The real schema registry of the integration tests ({@link PipelineContainers#registryUrl()}: Apicurio as a
 * child process of this JVM, in-memory storage, shared by every IT class), plus the means of an outage: the
 * registry's process is frozen (SIGSTOP) and thawed (SIGCONT). A restart would lose every schema; a frozen
 * registry keeps them and simply stops answering — the kernel still accepts connections, no reply comes, and
 * clients hit their request timeout.
 */
final class Registry {

    private final String url;
    private final long pid;
    private boolean frozen;

    private Registry(String url, long pid) {
        this.url = url;
        this.pid = pid;
    }

    /** The shared registry (started on first use), and its process. */
    static Registry shared() {
        String url = PipelineContainers.registryUrl();
        String marker = "-Dquarkus.http.port=" + URI.create(url).getPort();
        long pid = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot find the registry's process (" + marker + ")"))
                .pid();
        return new Registry(url, pid);
    }

    String url() {
        return url;
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

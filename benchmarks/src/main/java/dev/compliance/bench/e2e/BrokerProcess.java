package dev.compliance.bench.e2e;

import dev.compliance.cli.runtime.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the project's embedded broker in its own JVM for the end-to-end benchmark: prints
 * {@code READY <bootstrap>} on stdout once it answers, then runs until SIGTERM or until its standard input ends
 * (the parent JVM exited).
 */
public final class BrokerProcess {

    static final String READY = "READY ";

    private BrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(120));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        // the parent holds our stdin open: end of input means it is gone, so stop with it
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; wait for the end of input
                }
            } catch (java.io.IOException e) {
                // the pipe broke: the parent is gone too
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        stopped.await();
    }
}

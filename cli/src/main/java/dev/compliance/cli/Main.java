package dev.compliance.cli;

/** Entry point of the {@code compliance} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("usage: compliance <evaluate|demo|run|produce> [options]");
    }
}

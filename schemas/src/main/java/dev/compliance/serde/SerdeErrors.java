package dev.compliance.serde;

/** Turns exceptions into short one-line texts fit for an error message or a dead-letter header. */
final class SerdeErrors {

    private static final int MAX_LENGTH = 400;

    private SerdeErrors() {
    }

    /** The most telling message in the cause chain, on one line, bounded in length. */
    static String describe(Throwable e) {
        String text = null;
        for (Throwable t = e; t != null && text == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage();
            }
        }
        if (text == null && e instanceof java.net.ConnectException) {
            // the JDK's HttpClient drops the operating system's reason on connect failures
            text = "ConnectException: could not connect (connection refused or host unreachable)";
        } else if (text == null && e instanceof java.io.EOFException) {
            text = "EOFException: the data ended before the record was complete";
        } else if (text == null) {
            text = e.getClass().getSimpleName();
        } else if (e instanceof java.io.EOFException || e instanceof ArrayIndexOutOfBoundsException) {
            text = e.getClass().getSimpleName() + ": " + text;
        }
        return oneLine(text);
    }

    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_LENGTH ? flat : flat.substring(0, MAX_LENGTH - 3) + "...";
    }
}

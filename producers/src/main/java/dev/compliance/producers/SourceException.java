package dev.compliance.producers;

/**
 * A failure a user can act on, with a one-line message that names what is wrong (bad option, refused credentials,
 * unreachable broker). The command line prints the message, never the stack trace.
 */
public class SourceException extends RuntimeException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}

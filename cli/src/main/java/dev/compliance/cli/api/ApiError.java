package dev.compliance.cli.api;

/** A request the API refuses: the HTTP status and a one-line reason, sent as {@code {"error":"..."}}. */
final class ApiError extends RuntimeException {

    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }
}

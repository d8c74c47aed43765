package dev.compliance.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A schema registry call failed. Carries the HTTP status and Confluent error code when the registry answered. */
public class SchemaRegistryException extends SerializationException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errorCode = -1;
    }

    /** HTTP status of the registry's answer, or -1 when there was none. */
    public int status() { return status; }

    /** Confluent error code of the registry's answer (e.g. 40403), or -1 when there was none. */
    public int errorCode() { return errorCode; }
}

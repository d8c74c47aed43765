package dev.compliance.serde;

/** The registry has no such schema id, subject or version (HTTP 404, error codes 40401/40402/40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(String message, int status, int errorCode) {
        super(message, status, errorCode);
    }
}

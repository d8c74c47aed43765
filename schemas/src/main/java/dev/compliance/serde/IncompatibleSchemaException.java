package dev.compliance.serde;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(String message, int status, int errorCode) {
        super(message, status, errorCode);
    }
}

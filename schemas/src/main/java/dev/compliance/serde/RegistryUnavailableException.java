package dev.compliance.serde;

/** The registry could not be reached (connection failures or 5xx answers) after the configured attempts. */
public class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

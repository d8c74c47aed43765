package dev.compliance.producers.otlp;

/**
 * Who sent an export request. With a tokens file, the org and defaults its bearer token names: every record of
 * the request belongs to that org. Without one, {@link #UNAUTHENTICATED}: records name their own org.
 *
 * @param orgId    the token's org, or null for an unauthenticated receiver
 * @param defaults the token's default plan and data class (null fields fall back to the receiver's defaults)
 */
public record Caller(String orgId, OrgDefaults defaults) {

    public static final Caller UNAUTHENTICATED = new Caller(null, null);

    public boolean authenticated() {
        return orgId != null;
    }
}

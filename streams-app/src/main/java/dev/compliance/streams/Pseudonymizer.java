package dev.compliance.streams;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * User ids on analytics outputs are replaced by a keyed hash (HMAC-SHA256 with the deployment's secret,
 * first 16 bytes, base64url): stable within a deployment, so analytics can count distinct users, and
 * not reversible without the secret.
 */
public final class Pseudonymizer {

    private final ThreadLocal<Mac> mac;

    public Pseudonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("compliance.pseudonym.secret must be at least 16 characters");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public String pseudonym(String userId) {
        byte[] digest = mac.get().doFinal(userId.getBytes(StandardCharsets.UTF_8)); // doFinal resets the Mac
        return "u_" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }
}

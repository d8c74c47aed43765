package dev.compliance.producers.otlp;

import dev.compliance.producers.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporters' bearer tokens, each bound to one org with its default plan and data class. Claude Code sends the
 * token it was given in {@code OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>"} (deployable through its
 * managed settings); the file holds only the tokens' SHA-256, so reading it reveals no token.
 *
 * <pre>
 * # sha256 of the token (printf %s "$TOKEN" | sha256sum)                 ORG=PLAN[:CLASS]
 * sha256:3f0a…64 hex…  org_acme=ENTERPRISE:INTERNAL
 * </pre>
 *
 * The file is read again when its modification time or size changes, so a token is added or revoked without a
 * restart; a changed file that does not parse is reported once and the tokens read before stay in force.
 */
public final class TokensFile {

    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Path path;
    private Map<String, Caller> byHash;
    private FileTime loadedModified;
    private long loadedSize;
    private String lastReloadError;

    private TokensFile(Path path) {
        this.path = path;
    }

    /** Reads the file now; a missing, unreadable or malformed file is a {@link SourceException} naming the line. */
    public static TokensFile load(Path path) {
        TokensFile tokens = new TokensFile(path);
        tokens.reload();
        return tokens;
    }

    public Path path() {
        return path;
    }

    public synchronized int size() {
        return byHash.size();
    }

    /** The caller a bearer token stands for, or null for an unknown token. */
    public synchronized Caller caller(String token) {
        reloadIfChanged();
        return byHash.get(hash(token));
    }

    /** {@code sha256:<hex>} of a token, the form the file holds. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void reloadIfChanged() {
        try {
            if (Files.getLastModifiedTime(path).equals(loadedModified) && Files.size(path) == loadedSize) {
                return;
            }
            reload();
            lastReloadError = null;
            LOG.info("otlp: tokens file {} reloaded: {} token(s)", path, byHash.size());
        } catch (IOException | SourceException e) {
            String error = e instanceof SourceException ? e.getMessage() : "otlp: cannot read the tokens file " + path
                    + ": " + e.getMessage();
            if (!error.equals(lastReloadError)) {
                lastReloadError = error;
                LOG.warn("{}; keeping the {} token(s) read before", error, byHash.size());
            }
        }
    }

    private void reload() {
        FileTime modified;
        long size;
        List<String> lines;
        try {
            modified = Files.getLastModifiedTime(path);
            size = Files.size(path);
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SourceException("otlp: cannot read the tokens file " + path + ": no such file");
        } catch (IOException e) {
            throw new SourceException("otlp: cannot read the tokens file " + path + ": " + e.getMessage());
        }
        Map<String, Caller> read = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "otlp: tokens file " + path + " line " + (i + 1);
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || !HASH.matcher(fields[0]).matches()) {
                throw new SourceException(where + " must look like 'sha256:<64 lowercase hex> ORG=PLAN[:CLASS]'"
                        + " (the token's SHA-256, never the token itself)");
            }
            Map.Entry<String, OrgDefaults> org;
            try {
                org = OrgDefaults.parse(fields[1]);
            } catch (SourceException e) {
                throw new SourceException(where + ": " + e.getMessage());
            }
            if (read.put(fields[0], new Caller(org.getKey(), org.getValue())) != null) {
                throw new SourceException(where + ": the same token hash is listed twice");
            }
        }
        byHash = Map.copyOf(read);
        loadedModified = modified;
        loadedSize = size;
    }
}

package dev.compliance.streams.catalog;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POLICY.md's tables as data: reads {@code catalog/policy-catalog.txt}, validates every line and
 * expands the tables into one {@link CatalogEntry} per plan x feature (9 x 15 = 135 rows).
 *
 * <p>The file has sections ([seeds], [conflicts], [plans], [class-floors], [zdr], [zdr-disables],
 * [training], [baa], [retention], [holds], [local-transcripts], [metadata-holds]); within a section the
 * first line that matches a plan x feature decides, as POLICY.md reads its tables. Every fact a rule
 * tests is on the row (POLICY.md v2), so a vendor change is an edit of the file and a publish.
 */
public final class PolicyCatalog {

    public static final String DEFAULT_RESOURCE = "catalog/policy-catalog.txt";

    private final Map<String, CatalogEntry> rows;
    private final Map<String, String> seeds;
    private final List<CatalogConflict> conflicts;
    private final List<CatalogFacts.RetentionRow> retentionTable;
    private final List<CatalogFacts.MetadataHold> metadataHolds;
    private final String version;

    private PolicyCatalog(Map<String, CatalogEntry> rows, CatalogParser p, String version) {
        this.rows = rows;
        this.seeds = Map.copyOf(p.seeds());
        this.conflicts = p.conflicts();
        this.retentionTable = p.retentionTable();
        this.metadataHolds = p.metadataHolds();
        this.version = version;
    }

    /** The catalog shipped with the application. */
    public static PolicyCatalog load() {
        try (InputStream in = PolicyCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new CatalogFormatException(DEFAULT_RESOURCE, "not found on the classpath");
            }
            return parse(DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CatalogFormatException(DEFAULT_RESOURCE, "cannot be read: " + e.getMessage());
        }
    }

    /** A catalog file given by path (for `compliance catalog publish --file`). */
    public static PolicyCatalog load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new CatalogFormatException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }

    public static String key(Plan plan, Feature feature) {
        return plan.name() + "/" + feature.name();
    }

    /** Every row, in plan then feature order. */
    public List<CatalogEntry> entries() {
        return List.copyOf(rows.values());
    }

    public CatalogEntry entry(Plan plan, Feature feature) {
        return rows.get(key(plan, feature));
    }

    /** Seed id to its file name and description, for messages and documentation. */
    public Map<String, String> seeds() {
        return seeds;
    }

    /** Every conflict between seeds the catalog resolves, in file order. */
    public List<CatalogConflict> conflicts() {
        return conflicts;
    }

    /** POLICY.md's retention table as the catalog states it, top to bottom. */
    public List<CatalogFacts.RetentionRow> retentionTable() {
        return retentionTable;
    }

    /** What may be kept beyond the content with no date computed from it (trust and safety scores). */
    public List<CatalogFacts.MetadataHold> metadataHolds() {
        return metadataHolds;
    }

    /** Content hash of the catalog file: identifies the catalog a verdict was judged against. */
    public String version() {
        return version;
    }

    // ---------------------------------------------------------------- parsing

    static PolicyCatalog parse(String file, String text) {
        CatalogParser p = new CatalogParser(file);
        p.read(text);
        Map<String, CatalogEntry> rows = new LinkedHashMap<>();
        String version = sha256(text).substring(0, 12);
        for (Plan plan : Plan.values()) {
            for (Feature feature : Feature.values()) {
                rows.put(key(plan, feature), p.expand(plan, feature, version));
            }
        }
        return new PolicyCatalog(rows, p, version);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}

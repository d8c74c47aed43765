package dev.compliance.streams.catalog;

/** The catalog file is wrong at a given line; the message names the file and the line. */
public final class CatalogFormatException extends RuntimeException {
    public CatalogFormatException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    public CatalogFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}

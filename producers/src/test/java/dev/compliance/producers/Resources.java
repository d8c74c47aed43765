package dev.compliance.producers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads recorded payloads from src/test/resources. */
public final class Resources {

    private Resources() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Resources.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), java.nio.charset.StandardCharsets.UTF_8);
    }
}

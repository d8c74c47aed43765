package dev.compliance.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The files of the secure profile (ops/security): the broker's environment (broker.env), the ACL policy
 * (acls.txt), the broker start script, and what make-certs.sh generates into ops/security/build (kept
 * between runs; the script does nothing when it is complete).
 */
final class SecureProfile {

    final Path dir;
    final Path build;

    private SecureProfile(Path dir) {
        this.dir = dir;
        this.build = dir.resolve("build");
    }

    /** Finds ops/security above the working directory and runs make-certs.sh (idempotent). */
    static SecureProfile prepare() throws IOException, InterruptedException {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("ops/security/acls.txt"))) {
                SecureProfile profile = new SecureProfile(p.resolve("ops/security"));
                profile.makeCerts();
                return profile;
            }
        }
        throw new IllegalStateException("ops/security/acls.txt not found above " + start);
    }

    private void makeCerts() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", dir.resolve("make-certs.sh").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("ops/security/make-certs.sh failed:\n" + output);
        }
        System.out.print(output);
    }

    Path aclFile() {
        return dir.resolve("acls.txt");
    }

    Path startScript() {
        return dir.resolve("broker/start-secure-broker.sh");
    }

    /** The files mounted at /etc/kafka/secrets in the broker. */
    Path brokerSecrets() {
        return build.resolve("broker");
    }

    /** broker.env: KAFKA_* variables, in file order. */
    Map<String, String> brokerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : readLines(dir.resolve("broker.env"))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return env;
    }

    /** The client properties file of a principal, with this machine's truststore path (build/host/PRINCIPAL.properties). */
    Path clientPropertiesFile(String principal) {
        return build.resolve("host").resolve(principal + ".properties");
    }

    /** The client settings of a principal plus bootstrap.servers (and anything in {@code extra}). */
    Map<String, Object> clientConfig(String principal, String bootstrapServers, Map<String, ?> extra) {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(clientPropertiesFile(principal))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> config = new HashMap<>();
        props.forEach((k, v) -> config.put((String) k, v));
        config.put("bootstrap.servers", bootstrapServers);
        config.putAll(extra);
        return config;
    }

    private static java.util.List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.compliance.cli.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.compliance.cli.runtime.HealthServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The web console at {@code /}: three static files from the jar ({@code console/index.html}, {@code .css},
 * {@code .js}; plain HTML, CSS and JavaScript, no library, nothing from a CDN) that call {@link LedgerApi} from
 * the browser. They hold no data, so they are served without the API token; the page asks for the token when
 * the API answers 401.
 */
public final class Console implements HttpHandler {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/console.css", "console.css", "/console.js", "console.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8");

    /** Mounts the console at {@code /} (what was there, a 404 hint, is kept for every other path). */
    public static void mount(HealthServer server) {
        server.register("/", new Console());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String file = FILES.get(exchange.getRequestURI().getPath());
        byte[] body;
        int status = 200;
        String type;
        if (file == null) {
            status = 404;
            type = "text/plain; charset=utf-8";
            body = "no such page; the console is at /, the API at /api/openapi.json, and /health, /metrics\n".getBytes(StandardCharsets.UTF_8);
        } else {
            try (InputStream in = Console.class.getResourceAsStream("/console/" + file)) {
                if (in == null) {
                    throw new IOException("console/" + file + " is missing from the jar");
                }
                body = in.readAllBytes();
            }
            type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}

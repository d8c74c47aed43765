package dev.compliance.producers.claudecode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Anthropic Messages API, enough for one {@code claude -p} turn: {@code HEAD /} answers 200
 * and {@code POST /v1/messages} answers with a streaming (SSE) message. A request that offers the MCP tool
 * {@link #toolName} and carries no tool result yet gets a {@code tool_use} of that tool with {@link #toolInput};
 * every other request (the follow-up with the tool result, Claude Code's own side requests) gets a short text.
 *
 * <p>Only the JDK, so it also runs on its own: {@code java MessagesApiStub.java TOOL INPUT_JSON}.
 */
public final class MessagesApiStub implements AutoCloseable {

    /** What the stub answered with its text replies: a test looks for it in the topics (it must not be there). */
    public static final String REPLY_TEXT = "Checked the account: the stub replies STUBREPLY-7f3a.";

    private final String toolName;
    private final String toolInput;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger messageCount = new AtomicInteger();
    private final AtomicInteger toolUses = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    public MessagesApiStub(String toolName, String toolInputJson) throws IOException {
        this.toolName = toolName;
        this.toolInput = toolInputJson;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many POST /v1/messages were answered, and how many of them with the tool call. */
    public int messages() {
        return messageCount.get();
    }

    public int toolUses() {
        return toolUses.get();
    }

    public List<String> paths() {
        return List.copyOf(paths);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.equals("/v1/messages")) {
                byte[] text = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"stub\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, text.length);
                exchange.getResponseBody().write(text);
                return;
            }
            String request = new String(body, StandardCharsets.UTF_8);
            int n = messageCount.incrementAndGet();
            boolean callTool = request.contains("\"" + toolName + "\"") && !request.contains("\"tool_result\"");
            if (callTool) {
                toolUses.incrementAndGet();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("request-id", "req_stub_" + n);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                String id = "msg_stub_" + n;
                event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id
                        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":120,\"output_tokens\":1,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}");
                if (callTool) {
                    event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                            + "{\"type\":\"tool_use\",\"id\":\"toolu_stub_" + n + "\",\"name\":\"" + toolName + "\",\"input\":{}}}");
                    event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                            + "{\"type\":\"input_json_delta\",\"partial_json\":" + jsonString(toolInput) + "}}");
                } else {
                    event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                            + "{\"type\":\"text\",\"text\":\"\"}}");
                    event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                            + "{\"type\":\"text_delta\",\"text\":" + jsonString(REPLY_TEXT) + "}}");
                }
                event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                        + (callTool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}");
                event(out, "message_stop", "{\"type\":\"message_stop\"}");
            }
        }
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String jsonString(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        MessagesApiStub stub = new MessagesApiStub(args[0], args[1]);
        System.out.println(stub.baseUrl());
        Thread.currentThread().join();
    }
}

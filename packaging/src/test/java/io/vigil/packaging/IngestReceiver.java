package io.vigil.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for the server's ingest and heartbeat endpoints on loopback: it accepts every batch
 * sent with the expected token, as the real server would (200), and keeps the events.
 */
final class IngestReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String token;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    IngestReceiver(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/ingest", this::ingest);
        server.createContext("/api/v1/heartbeat", exchange -> answer(exchange, authorized(exchange) ? 200 : 401, "{}"));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private boolean authorized(HttpExchange exchange) {
        boolean ok = ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!ok) {
            refused.add(exchange.getRequestURI().getPath());
        }
        return ok;
    }

    private void ingest(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod()) || !authorized(exchange)) {
            answer(exchange, 401, "{\"error\":\"unknown token\"}");
            return;
        }
        InputStream body = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(body);
        }
        JsonNode batch = JSON.readTree(body);
        int n = 0;
        for (JsonNode event : batch.path("events")) {
            events.add(event);
            n++;
        }
        answer(exchange, 200, "{\"accepted_events\":" + n + ",\"duplicate_events\":0,\"accepted_metrics\":"
                + batch.path("metrics").size() + ",\"duplicate_metrics\":0}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Waits until an event matching {@code test} has arrived; fails after {@code timeout}. */
    JsonNode awaitEvent(Predicate<JsonNode> test, Duration timeout, String what) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            for (JsonNode e : events) {
                if (test.test(e)) {
                    return e;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + timeout + "; received types "
                + events.stream().map(e -> e.path("type").asText()).distinct().toList() + ", refused " + refused);
    }

    List<JsonNode> events() {
        return new ArrayList<>(events);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

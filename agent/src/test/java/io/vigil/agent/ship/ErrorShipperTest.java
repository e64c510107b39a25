package io.vigil.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.errorlog.ErrorBook;
import io.vigil.agent.errorlog.ErrorSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's errors reach POST /api/v1/errors and leave the book only after a 2xx. */
class ErrorShipperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final AgentConfig.SpoolSettings SETTINGS = new AgentConfig.SpoolSettings(1 << 24, 100, 1 << 20,
            Duration.ofMillis(10), false, Duration.ofMillis(50), Duration.ofMillis(400));

    @TempDir
    Path dir;

    private HttpServer server;
    private ErrorBook book;
    private ErrorShipper shipper;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Queue<int[]> script = new ArrayDeque<>(); // {status, retryAfterSeconds or -1}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/errors", exchange -> {
            int[] answer;
            synchronized (script) {
                answer = script.isEmpty() ? new int[] {200, -1} : script.poll();
            }
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(JSON.readTree(in));
            }
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            if (answer[1] >= 0) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(answer[1]));
            }
            byte[] reply = "{}".getBytes();
            exchange.sendResponseHeaders(answer[0], reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        book = ErrorBook.open(dir.resolve("errors.db"), Clock.systemUTC());
        shipper = new ErrorShipper(book, URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "tok3n",
                Duration.ofSeconds(2), INTERVAL, SETTINGS, "vigil-agent/test");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        book.close();
    }

    @Test
    void shipsAggregatedReportsAndClearsThemAfter2xx() throws Exception {
        for (int i = 0; i < 3; i++) {
            book.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed", new IllegalStateException("x" + i));
        }
        assertEquals(INTERVAL, shipper.shipOnce());
        assertEquals(0, book.rows());
        JsonNode report = bodies.get(0).get("reports").get(0);
        assertEquals("monitor:disk", report.get("component").asText());
        assertEquals("error", report.get("severity").asText());
        assertEquals("poll failed", report.get("message").asText());
        assertEquals("java.lang.IllegalStateException", report.get("exception_type").asText());
        // the latest occurrence's texts
        assertTrue(report.get("stack").asText().startsWith("java.lang.IllegalStateException: x2"));
        assertEquals(3, report.get("count").asLong());
        assertTrue(report.has("first_seen") && report.has("last_seen"));
        assertEquals("Bearer tok3n", authorizations.get(0));
    }

    @Test
    void keepsReportsWhileTheServerFailsAndBacksOffHonouringRetryAfter() throws Exception {
        book.record("ship", ErrorSink.Level.WARN, "cannot ship: HTTP 503", null);
        script.add(new int[] {503, -1});
        script.add(new int[] {429, 7});
        Duration first = shipper.shipOnce();
        assertTrue(first.compareTo(Duration.ofMillis(25)) >= 0 && first.compareTo(Duration.ofMillis(50)) <= 0, "" + first);
        assertEquals(Duration.ofSeconds(7), shipper.shipOnce());
        assertEquals(1, book.rows());
        shipper.shipOnce();
        assertEquals(0, book.rows());
        assertEquals(3, bodies.size());
    }

    @Test
    void keepsReportsWhenTheServerIsUnreachable() throws Exception {
        book.record("ship", ErrorSink.Level.WARN, "cannot ship: HTTP 503", null);
        server.stop(0);
        Duration wait = shipper.shipOnce();
        assertTrue(wait.compareTo(INTERVAL) < 0, "a backoff, not the interval: " + wait);
        assertEquals(1, book.rows());
    }

    @Test
    void reportsTheServerRefusesAsInvalidAreDropped() throws Exception {
        book.record("ship", ErrorSink.Level.WARN, "cannot ship", null);
        script.add(new int[] {400, -1});
        shipper.shipOnce();
        assertEquals(0, book.rows());
    }

    @Test
    void aTooLargeAnswerHalvesTheBatch() throws Exception {
        for (int i = 0; i < 4; i++) {
            book.record("c" + i, ErrorSink.Level.WARN, "m", null);
        }
        script.add(new int[] {413, -1});
        assertEquals(Duration.ZERO, shipper.shipOnce());
        shipper.shipOnce();
        assertEquals(2, bodies.get(1).get("reports").size());
        assertEquals(2, book.rows());
    }
}

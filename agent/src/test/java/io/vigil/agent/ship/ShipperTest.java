package io.vigil.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real HTTP server on loopback that answers as scripted. */
@Timeout(60)
class ShipperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentConfig.SpoolSettings SETTINGS = new AgentConfig.SpoolSettings(1 << 24, 100, 1 << 20,
            Duration.ofMillis(10), true, Duration.ofMillis(50), Duration.ofMillis(400));

    @TempDir
    Path dir;

    private HttpServer server;
    private Thread thread;
    private Shipper shipper;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Queue<int[]> script = new ArrayDeque<>(); // {status, retryAfterSeconds or -1}

    private int startServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/ingest", exchange -> {
            int[] answer;
            synchronized (script) {
                answer = script.isEmpty() ? new int[] {200, -1} : script.poll();
            }
            try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(in);
                if (answer[0] == 200) {
                    bodies.add(body);
                }
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
        return server.getAddress().getPort();
    }

    private Spool startShipper(int port) throws IOException {
        Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
        shipper = new Shipper(spool, URI.create("http://127.0.0.1:" + port), "tok3n", Duration.ofSeconds(2), SETTINGS,
                "vigil-agent/test");
        thread = new Thread(shipper, "shipper");
        thread.start();
        return spool;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (shipper != null) {
            shipper.stop();
            thread.interrupt();
            thread.join(5000);
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static byte[] event(String subject) {
        return WireJson.encode(Event.builder("test.shipped").severity(Severity.HIGH).subject(subject)
                .attribute("n", 1).build().stamped("h", "a", "m", "p", "t", "s"));
    }

    @Test
    void shipsGzippedBatchesWithTheBearerTokenAndEmptiesTheSpool() throws Exception {
        int port = startServer(0);
        Spool spool = startShipper(port);
        spool.append(ItemKind.EVENT, event("one"));
        spool.append(ItemKind.METRIC, WireJson.encode(new MetricSample("test.value", 2.5, "s", Map.of("host", "h"),
                Instant.parse("2026-01-01T00:00:00Z"))));

        await(() -> spool.depth() == 0);
        // one batch or two: the shipper may wake between the two appends
        List<JsonNode> events = new java.util.ArrayList<>();
        List<JsonNode> metrics = new java.util.ArrayList<>();
        bodies.forEach(b -> {
            b.get("events").forEach(events::add);
            b.get("metrics").forEach(metrics::add);
        });
        assertEquals("one", events.get(0).get("subject").asText());
        assertEquals("high", events.get(0).get("severity").asText());
        assertEquals(2.5, metrics.get(0).get("value").asDouble());
        assertEquals("2026-01-01T00:00:00Z", metrics.get(0).get("time").asText());
        assertEquals("Bearer tok3n", authorizations.get(0));
        assertEquals(1, shipper.stats().shippedEvents());
    }

    @Test
    void serverDownAtStartKeepsItemsThenDrainsThemInOrderWhenItComesUp() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Spool spool = startShipper(port);
        for (int i = 0; i < 5; i++) {
            spool.append(ItemKind.EVENT, event("e" + i));
        }
        await(() -> shipper.stats().failedAttempts() >= 2);
        assertEquals(5, spool.depth(), "nothing is lost while the server is down");
        assertEquals("server unreachable (connection refused)", shipper.stats().lastError());

        startServer(port);
        await(() -> spool.depth() == 0);
        List<String> subjects = bodies.stream().flatMap(b -> {
            List<String> s = new java.util.ArrayList<>();
            b.get("events").forEach(e -> s.add(e.get("subject").asText()));
            return s.stream();
        }).toList();
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), subjects);
    }

    @Test
    void honoursRetryAfterOn503And429AndThenDelivers() throws Exception {
        synchronized (script) {
            script.add(new int[] {503, 1});
            script.add(new int[] {429, 1});
        }
        int port = startServer(0);
        Spool spool = startShipper(port);
        long start = System.nanoTime();
        spool.append(ItemKind.EVENT, event("late"));

        await(() -> spool.depth() == 0);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 2000, "two Retry-After: 1 waits, got " + waitedMs + " ms");
        assertEquals(1, bodies.size());
        assertEquals(2, shipper.stats().failedAttempts());
    }

    @Test
    void aBatchTheServerCallsInvalidGoesToDeadLetterAndShippingContinues() throws Exception {
        synchronized (script) {
            script.add(new int[] {400, -1});
        }
        int port = startServer(0);
        Spool spool = startShipper(port);
        spool.append(ItemKind.EVENT, event("bad"));
        await(() -> spool.deadLettered() == 1);
        spool.append(ItemKind.EVENT, event("good"));
        await(() -> spool.depth() == 0 && bodies.size() == 1);
        assertEquals("good", bodies.get(0).get("events").get(0).get("subject").asText());
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(7), IngestClient.parseRetryAfter("7"));
        assertTrue(IngestClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").isZero(), "a past date means now");
        assertEquals(null, IngestClient.parseRetryAfter("soon"));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndIsCapped() throws Exception {
        Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 20);
        Shipper s = new Shipper(spool, URI.create("http://127.0.0.1:1"), "t", Duration.ofSeconds(1), SETTINGS, "ua");
        for (int i = 0; i < 50; i++) {
            long first = s.backoff(1).toMillis();
            long third = s.backoff(3).toMillis();
            long tenth = s.backoff(10).toMillis();
            assertTrue(first >= 25 && first <= 50, "attempt 1: " + first);
            assertTrue(third >= 100 && third <= 200, "attempt 3: " + third);
            assertTrue(tenth >= 200 && tenth <= 400, "capped at max_backoff 400 ms: " + tenth);
        }
        spool.close();
    }
}

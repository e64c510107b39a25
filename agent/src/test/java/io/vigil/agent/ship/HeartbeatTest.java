package io.vigil.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.schedule.MonitorStats;
import io.vigil.agent.schedule.MonitorStatsFixture;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat's body, health fields included, and its delivery to a loopback server. */
@Timeout(30)
class HeartbeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Spool spool;
    private final Map<String, MonitorStats> monitors = new TreeMap<>();
    private final ShipStats ship = new ShipStats();
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private HttpServer server;

    @BeforeEach
    void openSpool() throws IOException {
        spool = Spool.open(dir.resolve("spool.db"), 1 << 20);
        monitors.put("disk", MonitorStatsFixture.of("filesystem", 3));
        monitors.put("oracle", MonitorStatsFixture.of("oracle", 3));
    }

    @AfterEach
    void close() throws Exception {
        spool.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private Heartbeat heartbeat(URI serverUrl) {
        AgentHealth health = new AgentHealth(() -> monitors, ship, spool::depth, INTERVAL, clock::get);
        return new Heartbeat(serverUrl, "t0k3n", Duration.ofSeconds(5), "web-1", "web-1.example", "1.4.0", "s-1",
                () -> Map.of("example", "0.1.0"), monitors::size, spool, health, INTERVAL);
    }

    private JsonNode body(Heartbeat beat) throws IOException {
        return JSON.readTree(beat.body());
    }

    @Test
    void aQuietAgentIsHealthyAndReportsItsResourcesAndInterval() throws IOException {
        JsonNode body = body(heartbeat(URI.create("http://127.0.0.1:1")));

        assertEquals("healthy", body.get("status").asText());
        assertEquals("", body.get("reason").asText());
        assertEquals(30_000, body.get("heartbeat_interval_ms").asLong());
        assertEquals(0, body.get("error_count").asLong());
        assertTrue(body.get("memory_bytes").asLong() > 1 << 20, "a JVM holds more than 1 MiB: " + body);
        if (body.has("cpu")) {
            double cpu = body.get("cpu").asDouble();
            assertTrue(cpu >= 0 && cpu <= 1, "cpu is a fraction of all CPUs: " + cpu);
        }
        assertFalse(body.has("latency_ms"), "no batch shipped yet, so no latency: " + body);
        assertEquals(0, body.get("spool_items").asLong(), "the older fields are still there");
        assertEquals("web-1", body.get("agent").asText());
    }

    @Test
    void aMonitorThatFailedSinceTheLastHeartbeatMakesTheAgentDegradedNamingIt() throws IOException {
        Heartbeat beat = heartbeat(URI.create("http://127.0.0.1:1"));
        body(beat);
        MonitorStatsFixture.fail(monitors.get("oracle"), "IOException: connection refused");
        MonitorStatsFixture.timeOut(monitors.get("disk"));

        JsonNode degraded = body(beat);
        JsonNode next = body(beat);

        assertEquals("degraded", degraded.get("status").asText());
        assertEquals("monitors disk, oracle failing", degraded.get("reason").asText());
        assertEquals(2, degraded.get("error_count").asLong());
        assertEquals("healthy", next.get("status").asText(), "no new failure since: healthy again");
        assertEquals(2, next.get("error_count").asLong(), "the error count is since start");
    }

    @Test
    void failedShipAttemptsWithoutAnAcknowledgedBatchAreShippingFailing() throws IOException {
        Heartbeat beat = heartbeat(URI.create("http://127.0.0.1:1"));
        body(beat);
        ship.failedAttempts.addAndGet(3);
        ship.lastError.set("ConnectException: connection refused");

        JsonNode body = body(beat);

        assertEquals("degraded", body.get("status").asText());
        assertEquals("shipping failing: ConnectException: connection refused", body.get("reason").asText());
        assertEquals(3, body.get("error_count").asLong());
    }

    @Test
    void failedAttemptsFollowedByADeliveredBatchAreNotDegradedAndReportTheLatency() throws IOException {
        Heartbeat beat = heartbeat(URI.create("http://127.0.0.1:1"));
        body(beat);
        ship.failedAttempts.incrementAndGet();
        ship.batches.incrementAndGet();
        ship.lastLatencyNanos.set(12_500_000);
        ship.lastShippedAtMillis.set(clock.get());

        JsonNode body = body(beat);

        assertEquals("healthy", body.get("status").asText());
        assertEquals(12.5, body.get("latency_ms").asDouble(), 1e-9);
        assertEquals(1, body.get("error_count").asLong());
    }

    @Test
    void spooledItemsWithNothingAcknowledgedForTwoIntervalsAreBacklogged() throws IOException {
        Heartbeat beat = heartbeat(URI.create("http://127.0.0.1:1"));
        spool.append(ItemKind.EVENT, "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        spool.append(ItemKind.EVENT, "{\"type\":\"y\"}".getBytes(StandardCharsets.UTF_8));
        clock.addAndGet(INTERVAL.toMillis() * 2);
        assertEquals("healthy", body(beat).get("status").asText(), "two intervals exactly: not yet");

        clock.addAndGet(1000);
        JsonNode body = body(beat);

        assertEquals("degraded", body.get("status").asText());
        assertEquals("shipping backlogged: 2 items spooled, none acknowledged for 61s", body.get("reason").asText());
    }

    @Test
    void theHeartbeatPostsTheHealthFieldsToTheServer() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/heartbeat", exchange -> {
            received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        MonitorStatsFixture.fail(monitors.get("disk"), "boom");

        heartbeat(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).run();

        assertEquals(1, received.size());
        assertEquals("degraded", received.get(0).get("status").asText());
        assertEquals("monitor disk failing", received.get(0).get("reason").asText());
        assertEquals(1, received.get(0).get("error_count").asLong());
    }
}

package io.vigil.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agent.Agent;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.server.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The walking skeleton: the example plugin, loaded by the agent from its built jar, emits events
 * that end up in PostgreSQL through the real server, with every field intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AgentToServerTest {

    // PER_CLASS lifecycle: @TempDir is not injected before @BeforeAll, so the class owns its folder
    private final Path dir = createTempDir();

    private TestPostgres pg;
    private VigilServerUnderTest server;
    private Agent agent;

    @BeforeAll
    void startBoth() throws Exception {
        pg = TestPostgres.create();
        server = new VigilServerUnderTest(pg).start();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("vigil.e2e.plugins"), "vigil-plugin-example.jar"),
                plugins.resolve("vigil-plugin-example.jar"));
        Path loadavg = Files.writeString(dir.resolve("loadavg"), "12.00 9.00 4.00 3/200 777");
        Path config = Files.writeString(dir.resolve("agent.yml"), """
                agent:
                  name: e2e-agent
                  host: e2e-host
                  listen: off
                server:
                  url: %s
                  token: ${env:VIGIL_AGENT_TOKEN}
                spool:
                  linger: 20ms
                monitors:
                  - name: beat
                    plugin: example
                    kind: heartbeat
                    interval: 200ms
                    # the default timeout is the interval: on a loaded CI machine a first poll (class
                    # loading) can take longer, and an interrupted beat would leave a gap in the count
                    timeout: 5s
                    options:
                      message: e2e alive
                  - name: load
                    plugin: example
                    kind: loadavg
                    interval: 200ms
                    options:
                      path: %s
                      cpus: 2
                """.formatted(server.url(), loadavg));
        agent = Agent.start(ConfigLoader.load(config),
                new EnvironmentSecrets(Map.of("VIGIL_AGENT_TOKEN", VigilServerUnderTest.AGENT_TOKEN)), Clock.systemUTC());
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("vigil-e2e-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopBoth() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitCount(String sql, long atLeast) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count(sql) < atLeast) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + atLeast + " rows of: " + sql);
            Thread.sleep(50);
        }
    }

    @Test
    void eventsEmittedByThePluginAreInPostgresWithAllTheirFields() throws Exception {
        awaitCount("SELECT count(*) FROM events WHERE type = 'example.load.high'", 1);
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT e.id, e.time, e.host, e.agent, e.monitor, e.plugin, e.type, e.severity, e.subject, e.title,
                            e.attributes->>'load5' AS load5, e.attributes->>'cpus' AS cpus,
                            e.attributes->>'per_cpu' AS per_cpu, e.fingerprint, e.trace_id, e.session_id,
                            a.name AS agent_record
                       FROM events e JOIN agents a ON a.id = e.agent_id
                      WHERE e.type = 'example.load.high'""")) {
            assertTrue(rs.next());
            UUID id = (UUID) rs.getObject("id");
            assertEquals(7, id.version(), "event ids are the agent's UUIDv7");
            Instant time = rs.getTimestamp("time").toInstant();
            assertTrue(time.isAfter(Instant.now().minusSeconds(120)) && time.isBefore(Instant.now().plusSeconds(1)));
            assertEquals("e2e-host", rs.getString("host"));
            assertEquals("e2e-agent", rs.getString("agent"));
            assertEquals("load", rs.getString("monitor"));
            assertEquals("example", rs.getString("plugin"));
            assertEquals(2, rs.getInt("severity"), "medium is stored as 2 (info 0 .. critical 4)");
            assertEquals("e2e-host", rs.getString("subject"));
            assertEquals("5-minute load 9.00 on 2 CPUs is high (threshold 2.00 per CPU)", rs.getString("title"));
            assertEquals("9.0", rs.getString("load5"));
            assertEquals("2", rs.getString("cpus"));
            assertEquals("4.5", rs.getString("per_cpu"));
            assertEquals("example.load:e2e-host", rs.getString("fingerprint"));
            assertEquals(agent.sessionId(), rs.getString("session_id"));
            assertNotNull(rs.getString("trace_id"));
            assertEquals("e2e-agent", rs.getString("agent_record"), "stored against the agent the token belongs to");
            assertFalse(rs.next(), "a state change is raised once, not every poll");
        }
    }

    @Test
    void theAgentsHeartbeatIsAHealthSampleOfItsComponent() throws Exception {
        awaitCount("SELECT count(*) FROM health_samples WHERE kind = 'agent' AND component LIKE 'agent/%' "
                + "AND memory_bytes > 0 AND error_count IS NOT NULL AND interval_ms > 0", 1);
        assertEquals(1, count("SELECT count(*) FROM component_status WHERE kind = 'agent'"),
                "one component for the agent");
    }

    @Test
    void heartbeatsArriveNumberedWithoutGapsAndEachOnce() throws Exception {
        awaitCount("SELECT count(*) FROM events WHERE type = 'example.heartbeat'", 5);
        assertEquals(0, count("""
                SELECT count(*) FROM (
                  SELECT generate_series(1, (SELECT max((attributes->>'beat')::int) FROM events WHERE monitor = 'beat')) AS beat
                  EXCEPT SELECT (attributes->>'beat')::int FROM events WHERE monitor = 'beat') missing"""),
                "every beat from 1 to the highest arrived");
        // one statement, one snapshot: the agent keeps shipping beats while the test reads
        assertEquals(0, count("SELECT count(*) - count(DISTINCT attributes->>'beat') FROM events WHERE monitor = 'beat'"),
                "no beat stored twice");
    }

    @Test
    void metricSamplesArriveAsSeriesWithTheHostLabel() throws Exception {
        awaitCount("SELECT count(*) FROM metric_samples s JOIN metric_series m ON m.id = s.series_id "
                + "WHERE m.name = 'example.load5'", 2);
        assertEquals(1, count("SELECT count(*) FROM metric_series WHERE name = 'example.load5' "
                + "AND labels = '{\"host\": \"e2e-host\"}'::jsonb"), "one series, however many samples");
    }

    @Test
    void theEventsApiServesWhatTheAgentSent() throws Exception {
        awaitCount("SELECT count(*) FROM events WHERE type = 'example.heartbeat'", 1);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/v1/events?limit=5&type=example.heartbeat"))
                .header("Authorization", "Bearer " + VigilServerUnderTest.ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = new ObjectMapper().readTree(response.body());
        JsonNode items = body.has("items") ? body.get("items") : body.get("events");
        assertNotNull(items, response.body());
        JsonNode first = items.get(0);
        assertEquals("example.heartbeat", first.get("type").asText());
        assertEquals("e2e alive", first.get("title").asText());
        assertEquals("beat", first.get("monitor").asText());
        assertTrue(first.get("attributes").get("beat").isInt(), "attributes are a JSON object, not a string");
    }
}

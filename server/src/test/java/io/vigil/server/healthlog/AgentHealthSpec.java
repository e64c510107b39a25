package io.vigil.server.healthlog;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each agent heartbeat is a health sample; status changes become events. */
@MicronautTest(transactional = false)
class AgentHealthSpec extends ServerSpec {

    static final String COMPONENT = "agent/" + AGENT_NAME;

    /** The body io.vigil.agent.ship.Heartbeat sends since health samples. */
    static String heartbeat(String status, String reason) {
        return """
                {"agent":"web-1","host":"web-1.example","version":"1.5.0","spi":"1.0","session_id":"s-42",
                 "time":"2026-11-27T10:00:00Z","plugins":{"example":"0.1.0"},"monitors":3,
                 "spool_items":17,"spool_bytes":20480,"heartbeat_interval_ms":15000,"status":"%s","reason":"%s",
                 "cpu":0.125,"memory_bytes":73400320,"error_count":4,"latency_ms":12.5}""".formatted(status, reason);
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.health.enabled", "false");
    }

    @BeforeEach
    void clean() {
        execute("TRUNCATE health_samples, component_status, events");
    }

    @Test
    void aHeartbeatWithHealthFieldsStoresOneSampleOfTheAgentComponent() {
        Instant before = Instant.now();

        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("healthy", ""));

        assertEquals(204, r.status(), r.body());
        Map<String, Object> row = queryOne("""
                SELECT h.time, h.kind, h.agent_id = a.id AS same_agent, h.status, h.reason, h.interval_ms, h.cpu,
                       h.memory_bytes, h.error_count, h.latency_ms, h.spool_depth, h.outbox_backlog, h.db_round_trip_ms
                  FROM health_samples h JOIN agents a ON a.name = ? WHERE h.component = ?""", AGENT_NAME, COMPONENT);
        assertTrue(((Timestamp) row.get("time")).toInstant().compareTo(before) >= 0, "server time: " + row);
        assertEquals("agent", row.get("kind"));
        assertEquals(Boolean.TRUE, row.get("same_agent"));
        assertEquals(0, row.get("status"));
        assertEquals("", row.get("reason"));
        assertEquals(15000L, row.get("interval_ms"));
        assertEquals(0.125, row.get("cpu"));
        assertEquals(73400320L, row.get("memory_bytes"));
        assertEquals(4L, row.get("error_count"));
        assertEquals(12.5, row.get("latency_ms"));
        assertEquals(17L, row.get("spool_depth"));
        assertNull(row.get("outbox_backlog"));
        assertNull(row.get("db_round_trip_ms"));
        assertEquals(0, count("SELECT count(*) FROM events"), "a new healthy component is no news");
    }

    @Test
    void aHeartbeatWithoutHealthFieldsIsStillAcceptedAndCountsAsHealthy() {
        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, """
                {"agent":"web-1","host":"web-1.example","version":"1.4.0","spi":"1.0","session_id":"s-1",
                 "plugins":{},"monitors":1,"spool_items":0,"spool_bytes":0}""");

        assertEquals(204, r.status(), r.body());
        Map<String, Object> row = queryOne("SELECT status, interval_ms, cpu, spool_depth FROM health_samples "
                + "WHERE component = ?", COMPONENT);
        assertEquals(0, row.get("status"));
        assertEquals(30000L, row.get("interval_ms"), "vigil.health.agent-interval");
        assertNull(row.get("cpu"));
        assertEquals(0L, row.get("spool_depth"));
    }

    @Test
    void invalidHealthFieldsAreRefusedNamingEachField() {
        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, """
                {"status":"sick","cpu":1.5,"error_count":-1,"heartbeat_interval_ms":0}""");

        assertEquals(400, r.status(), r.body());
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains("status must be healthy, degraded or down, got \"sick\""), detail);
        assertTrue(detail.contains("cpu must be a fraction of all CPUs from 0 to 1, got 1.5"), detail);
        assertTrue(detail.contains("error_count must not be negative, got -1"), detail);
        assertTrue(detail.contains("heartbeat_interval_ms must be positive, got 0"), detail);
        assertEquals(0, count("SELECT count(*) FROM health_samples"));
    }

    @Test
    void degradedThenHealthyAgainEmitsOneEventPerChangeWithFromToAndReason() {
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("healthy", ""));
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("degraded", "monitor disk failing"));
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("degraded", "monitor disk failing"));
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("healthy", ""));

        List<Map<String, Object>> events = query("""
                SELECT type, severity, subject, plugin, agent_id, attributes->>'from' AS "from",
                       attributes->>'to' AS "to", attributes->>'reason' AS reason, fingerprint
                  FROM events ORDER BY time, id""");
        assertEquals(2, events.size(), events.toString());
        assertEquals("server.component.degraded", events.get(0).get("type"));
        assertEquals(2, events.get(0).get("severity"), "medium");
        assertEquals(COMPONENT, events.get(0).get("subject"));
        assertEquals("server", events.get(0).get("plugin"));
        assertNull(events.get(0).get("agent_id"));
        assertEquals("healthy", events.get(0).get("from"));
        assertEquals("degraded", events.get(0).get("to"));
        assertEquals("monitor disk failing", events.get(0).get("reason"));
        assertEquals("server.component.recovered", events.get(1).get("type"));
        assertEquals("degraded", events.get(1).get("from"));
        assertEquals("healthy", events.get(1).get("to"));
        assertEquals(events.get(0).get("fingerprint"), events.get(1).get("fingerprint"),
                "one fingerprint per component, so resolve_on finds the alert");
        assertEquals(4, count("SELECT count(*) FROM health_samples WHERE component = ?", COMPONENT));
    }

    @Test
    void aDegradedHeartbeatOpensTheDefaultAlertAndRecoveryResolvesIt() throws Exception {
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("healthy", ""));
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("degraded", "shipping failing: HTTP 503"));

        awaitAlert("firing");
        postJson("/api/v1/heartbeat", AGENT_TOKEN, heartbeat("healthy", ""));
        awaitAlert("resolved");
    }

    private void awaitAlert(String state) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count("SELECT count(*) FROM alerts WHERE rule_id = 'component-degraded' AND state = ?", state) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + state + " component-degraded alert: "
                        + query("SELECT rule_id, state FROM alerts"));
            }
            Thread.sleep(50);
        }
    }
}

package io.vigil.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class HeartbeatSpec extends ServerSpec {

    /** The body io.vigil.agent.ship.Heartbeat sends. */
    static final String HEARTBEAT = """
            {"agent":"web-1","host":"web-1.example","version":"1.4.0","spi":"1.0","session_id":"s-42",
             "time":"2026-11-27T10:00:00Z","plugins":{"docker":"1.2.0","example":"0.1.0"},"monitors":3,
             "spool_items":17,"spool_bytes":20480}""";

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.agents.silence-threshold", "90s");
    }

    @Test
    void heartbeatRecordsArrivalTimeAndTheAgentsDetails() {
        Instant before = Instant.now().minusSeconds(1);

        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, HEARTBEAT);

        assertEquals(204, r.status(), r.body());
        Map<String, Object> row = queryOne("""
                SELECT last_heartbeat_at, heartbeat_sent_at, host, session_id, version, spi_version,
                       plugins = '{"docker":"1.2.0","example":"0.1.0"}'::jsonb AS plugins_match, monitors,
                       spool_items, spool_bytes FROM agents WHERE name = ?""", AGENT_NAME);
        assertTrue(((Timestamp) row.get("last_heartbeat_at")).toInstant().isAfter(before), row.toString());
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), ((Timestamp) row.get("heartbeat_sent_at")).toInstant());
        assertEquals("web-1.example", row.get("host"));
        assertEquals("s-42", row.get("session_id"));
        assertEquals("1.4.0", row.get("version"));
        assertEquals("1.0", row.get("spi_version"));
        assertEquals(Boolean.TRUE, row.get("plugins_match"));
        assertEquals(3, row.get("monitors"));
        assertEquals(17L, row.get("spool_items"));
        assertEquals(20480L, row.get("spool_bytes"));
    }

    @Test
    void agentListShowsStatusHeartbeatAgePluginsAndSpoolDepth() {
        postJson("/api/v1/heartbeat", AGENT_TOKEN, HEARTBEAT);
        String quiet = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"quiet-1\"}").json().get("token").asText();
        postJson("/api/v1/heartbeat", quiet, HEARTBEAT);
        execute("UPDATE agents SET last_heartbeat_at = now() - interval '10 minutes', last_seen_at = NULL "
                + "WHERE name = 'quiet-1'");
        postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"never-1\"}");

        Response r = get("/api/v1/agents", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        assertEquals(90, r.json().get("silence_threshold_seconds").asInt());
        JsonNode never = agent(r, "never-1");
        JsonNode quietOne = agent(r, "quiet-1");
        JsonNode up = agent(r, AGENT_NAME);
        assertEquals("never_seen", never.get("status").asText());
        assertTrue(never.get("last_heartbeat_at").isNull(), never.toString());
        assertEquals("silent", quietOne.get("status").asText());
        Instant silentSince = Instant.parse(quietOne.get("silent_since").asText());
        long age = Duration.between(silentSince, Instant.now()).toSeconds();
        assertTrue(age >= 599 && age < 660, quietOne.toString());
        assertTrue(quietOne.get("heartbeat_age_seconds").asLong() >= 599, quietOne.toString());
        assertEquals("up", up.get("status").asText());
        assertTrue(up.get("silent_since").isNull(), up.toString());
        assertEquals("1.2.0", up.get("plugins").get("docker").asText());
        assertEquals(17, up.get("spool_items").asInt());
        assertEquals(20480, up.get("spool_bytes").asInt());

        Response silentOnly = get("/api/v1/agents?status=silent", ADMIN_TOKEN);
        assertEquals(1, silentOnly.json().get("agents").size(), silentOnly.body());
        assertEquals("quiet-1", silentOnly.json().get("agents").get(0).get("name").asText());
    }

    @Test
    void heartbeatWithImpossibleValuesIs400AndChangesNothing() {
        execute("UPDATE agents SET last_heartbeat_at = NULL");

        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, "{\"spool_items\": -1, \"host\": \"" + "h".repeat(300) + "\"}");

        assertEquals(400, r.status(), r.body());
        assertEquals("invalid heartbeat: host must be at most 255 characters without U+0000; "
                + "spool_items must not be negative, got -1", r.json().get("detail").asText());
        assertEquals(0, count("SELECT count(*) FROM agents WHERE last_heartbeat_at IS NOT NULL"));
    }

    private static JsonNode agent(Response r, String name) {
        for (JsonNode a : r.json().get("agents")) {
            if (a.get("name").asText().equals(name)) {
                return a;
            }
        }
        throw new AssertionError(name + " not in " + r.body());
    }
}

package io.vigil.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
class DashboardSpec extends ServerSpec {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("dashboard-spec.contributor", "true");
    }

    /** Stands in for the alerting core's contributor. */
    @Singleton
    @Requires(property = "dashboard-spec.contributor", value = "true")
    static final class FiringAlerts implements DashboardContributor {
        @Override
        public String field() {
            return FIRING_ALERTS;
        }

        @Override
        public Object contribute(Instant since, Instant until) {
            return List.of(Map.of("rule", "db restarted"));
        }
    }

    @Test
    void summaryCountsSeveritiesListsSilentAgentsAndNoisyMonitorsAndTakesContributions() {
        clearStoredData();
        Instant now = Instant.now();
        assertEquals(200, ingest(events(
                event(Map.of("time", now.minusSeconds(3600).toString(), "severity", "critical", "monitor", "docker-events",
                        "plugin", "docker")),
                event(Map.of("time", now.minusSeconds(1800).toString(), "severity", "high", "monitor", "docker-events",
                        "plugin", "docker")),
                event(Map.of("time", now.minusSeconds(60).toString(), "severity", "info", "monitor", "load",
                        "plugin", "example")),
                event(Map.of("time", now.minusSeconds(3 * 86400).toString(), "severity", "critical")))).status());
        postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"gone-quiet\"}");
        execute("UPDATE agents SET last_heartbeat_at = now() - interval '1 hour' WHERE name = 'gone-quiet'");

        Response r = get("/api/v1/dashboard?hours=24", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode d = r.json();
        assertEquals(3, d.get("events").get("total").asInt(), r.body());
        assertEquals("{\"info\":1,\"low\":0,\"medium\":0,\"high\":1,\"critical\":1}",
                d.get("events").get("by_severity").toString());
        assertEquals(1, d.get("agents").get("silent").asInt(), r.body());
        assertEquals("gone-quiet", d.get("agents").get("silent_agents").get(0).get("name").asText());
        JsonNode noisiest = d.get("top_monitors").get(0);
        assertEquals("docker-events", noisiest.get("monitor").asText());
        assertEquals(2, noisiest.get("events").asInt());
        assertEquals("critical", noisiest.get("highest").asText());
        assertEquals("[{\"rule\":\"db restarted\"}]", d.get("firing_alerts").toString());
    }
}

package io.vigil.server.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

@MicronautTest(transactional = false)
class EventStatisticsSpec extends ServerSpec {

    @Test
    void countsBySeverityPluginAndTypeInTotalAndPerDay() {
        clearStoredData();
        assertEquals(200, ingest(events(
                event(Map.of("time", "2026-11-26T08:00:00Z", "plugin", "docker", "type", "docker.container.died", "severity", "high")),
                event(Map.of("time", "2026-11-26T09:00:00Z", "plugin", "docker", "type", "docker.container.died", "severity", "high")),
                event(Map.of("time", "2026-11-26T10:00:00Z", "plugin", "schema", "type", "schema.table.dropped", "severity", "critical")),
                event(Map.of("time", "2026-11-27T01:00:00Z", "plugin", "docker", "type", "docker.container.started", "severity", "info")),
                event(Map.of("time", "2026-11-25T23:59:59Z", "plugin", "docker", "type", "docker.container.died", "severity", "high"))))
                .status());

        Response r = get("/api/v1/stats/events?since=2026-11-26T00:00:00Z&until=2026-11-28T00:00:00Z&top=2", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode s = r.json();
        assertEquals(4, s.get("total").asInt());
        assertEquals("{\"info\":1,\"low\":0,\"medium\":0,\"high\":2,\"critical\":1}", s.get("by_severity").toString());
        assertEquals("{\"docker\":3,\"schema\":1}", s.get("by_plugin").toString());
        assertEquals("[{\"type\":\"docker.container.died\",\"count\":2},{\"type\":\"docker.container.started\",\"count\":1}]",
                s.get("top_types").toString());
        assertEquals(2, s.get("days").size());
        JsonNode first = s.get("days").get(0);
        assertEquals("2026-11-26", first.get("day").asText());
        assertEquals(3, first.get("total").asInt());
        assertEquals("{\"docker.container.died\":2,\"schema.table.dropped\":1}", first.get("by_type").toString());
        assertEquals("2026-11-27", s.get("days").get(1).get("day").asText());
        assertEquals(1, s.get("days").get(1).get("by_severity").get("info").asInt());
    }
}

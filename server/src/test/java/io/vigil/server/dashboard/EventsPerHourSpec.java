package io.vigil.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/dashboard/events-per-hour}: the overview chart's data. */
@MicronautTest(transactional = false)
class EventsPerHourSpec extends ServerSpec {

    @Test
    void everyHourOfTheWindowIsListedWithItsEventsBySeverity() {
        clearStoredData();
        Instant now = Instant.now();
        Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
        Instant threeHoursAgo = thisHour.minus(3, ChronoUnit.HOURS);
        assertEquals(200, ingest(events(
                event(Map.of("time", thisHour.plusSeconds(1).toString(), "severity", "critical")),
                event(Map.of("time", thisHour.plusSeconds(2).toString(), "severity", "critical")),
                event(Map.of("time", thisHour.plusSeconds(3).toString(), "severity", "info")),
                event(Map.of("time", threeHoursAgo.plusSeconds(59).toString(), "severity", "high")),
                event(Map.of("time", now.minus(30, ChronoUnit.HOURS).toString(), "severity", "high")))).status());

        Response r = get("/api/v1/dashboard/events-per-hour?hours=24", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode hours = r.json().get("hours");
        assertTrue(hours.size() == 24 || hours.size() == 25, "24 h starting inside an hour span 24 or 25 hours: " + hours.size());
        JsonNode last = hours.get(hours.size() - 1);
        assertEquals(thisHour.toString(), Instant.parse(last.get("hour").asText()).toString());
        assertEquals(3, last.get("total").asLong());
        assertEquals("{\"info\":1,\"low\":0,\"medium\":0,\"high\":0,\"critical\":2}", last.get("by_severity").toString());
        JsonNode earlier = hours.get(hours.size() - 4);
        assertEquals(threeHoursAgo, Instant.parse(earlier.get("hour").asText()));
        assertEquals(1, earlier.get("by_severity").get("high").asLong());
        long total = 0;
        for (JsonNode h : hours) {
            total += h.get("total").asLong();
        }
        assertEquals(4, total, "the event 30 hours ago is outside the window");
    }

    @Test
    void anHoursValueOutsideOneToAWeekIsRefusedNamingTheParameter() {
        Response r = get("/api/v1/dashboard/events-per-hour?hours=500", ADMIN_TOKEN);

        assertEquals(400, r.status());
        assertTrue(r.json().get("detail").asText().contains("hours"), r.body());
    }

    @Test
    void anAgentTokenCannotReadIt() {
        assertEquals(403, get("/api/v1/dashboard/events-per-hour", AGENT_TOKEN).status());
    }
}

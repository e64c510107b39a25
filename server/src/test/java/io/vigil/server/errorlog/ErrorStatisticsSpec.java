package io.vigil.server.errorlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vigil.server.errorlog.ErrorReports.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The statistics on generated data at known times, with the error log's clock fixed at
 * {@link #NOW} = 2026-11-20T12:30Z. The default window is [2026-11-19T12:30, 2026-11-20T12:30):
 * hour rows 2026-11-19T13:00 to 2026-11-20T12:00. The 7 complete days are [11-13, 11-20).
 */
@MicronautTest(transactional = false)
class ErrorStatisticsSpec extends ServerSpec {

    static final Instant NOW = Instant.parse("2026-11-20T12:30:00Z");

    /** Only for this specification: the beans of a test class are visible to every context of the run. */
    @Factory
    @Requires(property = "spec.errorlog.fixed-clock", value = "true")
    static class FixedClock {
        @Singleton
        @Named("errorlog")
        @Replaces(bean = Clock.class, named = "errorlog")
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    String viewer;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.errors.capture.enabled", "false", "spec.errorlog.fixed-clock", "true");
    }

    private void report(String component, String severity, String at, long count) {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(ErrorReports.report(Instant.parse(at), count,
                Map.of("component", component, "severity", severity))));
        assertEquals(200, r.status(), r.body());
    }

    @BeforeAll
    void data() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"v\", \"role\": \"viewer\"}").json()
                .get("token").asText();
        // A, error: 5 + 3 in the last two hours, 2 at the window's first hour, 4 just before the window
        report("A", "error", "2026-11-20T12:10:00Z", 5);
        report("A", "error", "2026-11-20T11:05:00Z", 3);
        report("A", "error", "2026-11-19T13:00:00Z", 2);
        report("A", "error", "2026-11-19T12:59:59Z", 4);
        // B, warn: 7 this morning, 1 five days ago
        report("B", "warn", "2026-11-20T10:00:00Z", 7);
        report("B", "warn", "2026-11-15T08:00:00Z", 1);
        // C, critical, resolved: 2 on the first of the 7 days, 6 before them
        report("C", "critical", "2026-11-13T23:00:00Z", 2);
        report("C", "critical", "2026-11-12T10:00:00Z", 6);
        long c = count("SELECT id FROM error_groups WHERE component = 'C'");
        assertEquals(200, postJson("/api/v1/errors/" + c + "/resolve", ADMIN_TOKEN, "{}").status());
        // D, warn, outside every window
        report("D", "warn", "2026-10-01T00:00:00Z", 100);
    }

    @Test
    void countsBySeverityInTheWindowAndOpenGroups() {
        JsonNode s = get("/api/v1/errors/stats", viewer).json();
        assertEquals("2026-11-19T12:30:00Z", s.get("since").asText());
        assertEquals("2026-11-20T12:30:00Z", s.get("until").asText());
        // A's 12:00 hour of 11-19 starts before the window: its 4 are not in it
        assertEquals(Map.of("groups", 1L, "occurrences", 7L, "open_groups", 2L), counts(s, "warn"));
        assertEquals(Map.of("groups", 1L, "occurrences", 10L, "open_groups", 1L), counts(s, "error"));
        assertEquals(Map.of("groups", 0L, "occurrences", 0L, "open_groups", 0L), counts(s, "critical"));
    }

    @Test
    void topGroupsByOccurrencesInTheWindow() {
        JsonNode s = get("/api/v1/errors/stats", viewer).json();
        List<String> top = new ArrayList<>();
        s.get("top").forEach(t -> top.add(t.at("/group/component").asText() + "=" + t.get("occurrences").asLong()));
        assertEquals(List.of("A=10", "B=7"), top);

        JsonNode week = get("/api/v1/errors/stats?since=2026-11-12T00:00:00Z", viewer).json();
        List<String> weekTop = new ArrayList<>();
        week.get("top").forEach(t -> weekTop.add(t.at("/group/component").asText() + "=" + t.get("occurrences").asLong()));
        assertEquals(List.of("A=14", "B=8", "C=8"), weekTop);
    }

    @Test
    void hourlyOccurrencesOfTheLast24HoursWithZeros() {
        JsonNode hourly = get("/api/v1/errors/stats", viewer).json().get("hourly");
        assertEquals(24, hourly.size());
        assertEquals("2026-11-19T13:00:00Z", hourly.get(0).get("hour").asText());
        assertEquals("2026-11-20T12:00:00Z", hourly.get(23).get("hour").asText());
        Map<String, Long> nonZero = new LinkedHashMap<>();
        hourly.forEach(h -> {
            if (h.get("occurrences").asLong() != 0) {
                nonZero.put(h.get("hour").asText(), h.get("occurrences").asLong());
            }
        });
        assertEquals(Map.of("2026-11-19T13:00:00Z", 2L, "2026-11-20T10:00:00Z", 7L, "2026-11-20T11:00:00Z", 3L,
                "2026-11-20T12:00:00Z", 5L), nonZero);
    }

    @Test
    void averagePerDayIsTheSevenCompleteDaysBeforeTodayDividedBySeven() {
        JsonNode avg = get("/api/v1/errors/stats", viewer).json().get("average_per_day");
        assertEquals("2026-11-13T00:00:00Z", avg.get("from").asText());
        assertEquals("2026-11-20T00:00:00Z", avg.get("until").asText());
        // A 2 + 4 on 11-19, B 1 on 11-15, C 2 on 11-13; today's 15 and C's 6 of 11-12 are outside
        assertEquals(7, avg.get("days").asInt());
        assertEquals(9, avg.get("occurrences").asLong());
        assertEquals(9 / 7.0, avg.get("value").asDouble(), 1e-9);
    }

    @Test
    void theDetailHasTheGroupsLast24Hours() {
        long a = count("SELECT id FROM error_groups WHERE component = 'A'");
        JsonNode hourly = get("/api/v1/errors/" + a, viewer).json().get("hourly");
        assertEquals(24, hourly.size());
        long sum = 0;
        for (JsonNode h : hourly) {
            sum += h.get("occurrences").asLong();
        }
        assertEquals(10, sum);
        assertEquals(5, hourly.get(23).get("occurrences").asLong());
    }

    private static Map<String, Long> counts(JsonNode stats, String severity) {
        JsonNode n = stats.at("/by_severity/" + severity);
        return Map.of("groups", n.get("groups").asLong(), "occurrences", n.get("occurrences").asLong(),
                "open_groups", n.get("open_groups").asLong());
    }
}

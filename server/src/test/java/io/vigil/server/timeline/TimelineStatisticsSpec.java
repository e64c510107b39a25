package io.vigil.server.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Counts per day by plugin, type and severity for a timeline's scope, checked exactly against
 * generated events: 600 of one session spread over four UTC days, with other sessions' events mixed in.
 */
@MicronautTest(transactional = false)
class TimelineStatisticsSpec extends ServerSpec {

    private static final String[] PLUGINS = {"docker", "schema", "filesystem"};
    private static final String[] SEVERITIES = {"info", "low", "medium", "high", "critical"};

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(4)).plusSeconds(3600);
    private final List<Map<String, Object>> session = new ArrayList<>();
    private String viewer;

    @BeforeAll
    void generate() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"stats-viewer\", \"role\": \"viewer\"}")
                .json().get("token").asText();
        Random random = new Random(15);
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            String plugin = PLUGINS[random.nextInt(PLUGINS.length)];
            Map<String, Object> e = new HashMap<>();
            e.put("time", start.plusSeconds(random.nextInt(4 * 86_400 - 7200)).toString());
            e.put("plugin", plugin);
            e.put("type", plugin + "." + (random.nextBoolean() ? "changed" : "failed"));
            e.put("severity", SEVERITIES[random.nextInt(SEVERITIES.length)]);
            e.put("subject", random.nextInt(3) == 0 ? "orders" : "users");
            e.put("session_id", i % 3 == 0 ? "s-other" : "s-stats");
            Map<String, Object> event = event(e);
            all.add(event);
            if ("s-stats".equals(e.get("session_id"))) {
                session.add(event);
            }
        }
        Response r = ingest(batch(all, List.of()));
        assertEquals(200, r.status(), r.body());
    }

    /** What the statistics must say about {@code events}: per day, by severity (all five), plugin and type. */
    private static Map<String, Object> expected(List<Map<String, Object>> events) {
        Map<LocalDate, List<Map<String, Object>>> byDay = new TreeMap<>();
        for (Map<String, Object> e : events) {
            byDay.computeIfAbsent(LocalDate.ofInstant(Instant.parse((String) e.get("time")), ZoneOffset.UTC),
                    d -> new ArrayList<>()).add(e);
        }
        List<Map<String, Object>> days = new ArrayList<>();
        byDay.forEach((day, list) -> {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("day", day.toString());
            d.put("total", list.size());
            d.put("by_severity", severities(list));
            d.put("by_plugin", counts(list, "plugin"));
            d.put("by_type", counts(list, "type"));
            days.add(d);
        });
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("total", events.size());
        out.put("by_severity", severities(events));
        out.put("by_plugin", counts(events, "plugin"));
        out.put("days", days);
        return out;
    }

    private static Map<String, Integer> severities(List<Map<String, Object>> events) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (String s : SEVERITIES) {
            out.put(s, (int) events.stream().filter(e -> s.equals(e.get("severity"))).count());
        }
        return out;
    }

    private static Map<String, Integer> counts(List<Map<String, Object>> events, String field) {
        Map<String, Integer> out = new TreeMap<>();
        events.forEach(e -> out.merge((String) e.get(field), 1, Integer::sum));
        return out;
    }

    private static Map<String, Object> actual(JsonNode counts) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("total", counts.get("total").asInt());
        out.put("by_severity", JSON.convertValue(counts.get("by_severity"), Map.class));
        out.put("by_plugin", JSON.convertValue(counts.get("by_plugin"), Map.class));
        out.put("days", JSON.convertValue(counts.get("days"), List.class));
        return out;
    }

    @Test
    void aSessionsStatisticsCountEachDayByPluginTypeAndSeverityExactly() {
        Response r = get("/api/v1/timelines/session/s-stats/stats", viewer);
        assertEquals(200, r.status(), r.body());
        assertEquals(600, session.size());
        assertEquals(JSON.valueToTree(expected(session)), JSON.valueToTree(actual(r.json())));
        assertEquals(4, r.json().get("days").size(), "four UTC days");
    }

    @Test
    void aSubjectsStatisticsCountItsEventsWithinTheWindowAndFilters() {
        Instant since = start.plus(Duration.ofDays(1));
        List<Map<String, Object>> orders = new ArrayList<>();
        for (Map<String, Object> e : session) {
            if ("orders".equals(e.get("subject")) && "docker".equals(e.get("plugin"))
                    && !Instant.parse((String) e.get("time")).isBefore(since)) {
                orders.add(e);
            }
        }
        // the other session's events about "orders" count too: a subject spans sessions
        Response r = get("/api/v1/timelines/subject/orders/stats?plugin=docker&since=" + since, viewer);
        assertEquals(200, r.status(), r.body());
        JsonNode counts = r.json();
        Response page = get("/api/v1/timelines/subject/orders?plugin=docker&limit=1&since=" + since, viewer);
        assertEquals(counts.get("total").asLong(), page.json().get("summary").get("total").asLong(),
                "the statistics and the timeline's summary count the same events");
        assertEquals(counts.get("by_severity"), page.json().get("summary").get("by_severity"));
        assertEquals(since, Instant.parse(counts.get("since").asText()));
        long fromThisSession = orders.size();
        long fromTheOther = counts.get("total").asLong() - fromThisSession;
        assertEquals(fromTheOther, get("/api/v1/stats/events?session_id=s-other&subject=orders&plugin=docker&since="
                + since, viewer).json().get("total").asLong(), "the existing stats endpoint agrees on the rest");
    }

    @Test
    void statisticsTakeTopButNotPageParameters() {
        JsonNode top = get("/api/v1/timelines/session/s-stats/stats?top=2", viewer).json();
        assertEquals(2, top.get("top_types").size());
        Response paged = get("/api/v1/timelines/session/s-stats/stats?limit=10", viewer);
        assertEquals(400, paged.status());
        assertEquals(true, paged.json().get("detail").asText().contains("unknown parameter \"limit\""), paged.body());
    }
}

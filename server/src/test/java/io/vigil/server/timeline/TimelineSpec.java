package io.vigil.server.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timelines of a trace, a session and a subject: oldest first, keyset pages, the summary, the window. */
@MicronautTest(transactional = false)
class TimelineSpec extends ServerSpec {

    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
    private String viewer;

    @BeforeAll
    void viewerKey() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"timeline-viewer\", \"role\": \"viewer\"}")
                .json().get("token").asText();
    }

    @BeforeEach
    void empty() {
        clearStoredData();
    }

    /** An event at {@code time} with the given trace, session and subject. */
    private static Map<String, Object> at(Instant time, String trace, String session, String subject, String severity) {
        Map<String, Object> e = new HashMap<>();
        e.put("time", time.toString());
        e.put("trace_id", trace);
        e.put("session_id", session);
        e.put("subject", subject);
        e.put("severity", severity);
        return event(e);
    }

    private void store(List<Map<String, Object>> events) {
        for (int i = 0; i < events.size(); i += 500) {
            Response r = ingest(batch(events.subList(i, Math.min(events.size(), i + 500)), List.of()));
            assertEquals(200, r.status(), r.body());
        }
    }

    /** Follows {@code next} from the first page to the last; the ids in the order served. */
    private List<String> allPages(String path, int limit, Runnable betweenPages) {
        List<String> ids = new ArrayList<>();
        String after = null;
        String sep = path.contains("?") ? "&" : "?";
        do {
            Response r = get(path + sep + "limit=" + limit + (after == null ? "" : "&after=" + after), viewer);
            assertEquals(200, r.status(), r.body());
            JsonNode page = r.json();
            assertTrue(page.get("events").size() <= limit);
            page.get("events").forEach(e -> ids.add(e.get("id").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
            betweenPages.run();
        } while (after != null);
        return ids;
    }

    /** The ids of {@code events} in timeline order: time, then id (UUIDs compare as PostgreSQL does, by bytes). */
    private static List<String> inTimelineOrder(List<Map<String, Object>> events) {
        return events.stream()
                .sorted(Comparator.<Map<String, Object>, Instant>comparing(e -> Instant.parse((String) e.get("time")))
                        .thenComparing(e -> (String) e.get("id")))
                .map(e -> (String) e.get("id")).toList();
    }

    @Test
    void aSessionTimelineIsEveryEventOfTheSessionOldestFirstAcrossPagesWithoutDuplicatesOrGaps() {
        List<Map<String, Object>> mine = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            // pairs of events share a time: the id breaks the tie, across page boundaries too
            mine.add(at(base.plusSeconds(i / 2), "t-" + (i / 10), "s-1", "web-1", "info"));
        }
        List<Map<String, Object>> others = List.of(at(base.plusSeconds(5), "t-x", "s-2", "web-1", "info"));
        store(mine);
        store(others);

        List<String> served = allPages("/api/v1/timelines/session/s-1", 37, () -> { });

        assertEquals(inTimelineOrder(mine), served);
    }

    @Test
    void theFirstPageIsHeadedByTheSummaryOfTheWholeTimelineAndLaterPagesAreNot() {
        store(List.of(at(base, "t-1", "s-1", "a", "info"), at(base.plusSeconds(1), "t-1", "s-1", "b", "high"),
                at(base.plusSeconds(2), "t-1", "s-1", "c", "high"), at(base.plusSeconds(3), "t-2", "s-1", "d", "critical")));

        JsonNode first = get("/api/v1/timelines/trace/t-1?limit=2", viewer).json();
        assertEquals("trace", first.get("scope").get("kind").asText());
        assertEquals("t-1", first.get("scope").get("id").asText());
        JsonNode summary = first.get("summary");
        assertEquals(3, summary.get("total").asLong());
        assertEquals(base, Instant.parse(summary.get("first_time").asText()));
        assertEquals(base.plusSeconds(2), Instant.parse(summary.get("last_time").asText()));
        assertEquals("{\"info\":1,\"low\":0,\"medium\":0,\"high\":2,\"critical\":0}", summary.get("by_severity").toString());
        assertEquals(List.of("a", "b"), subjects(first));

        JsonNode second = get("/api/v1/timelines/trace/t-1?limit=2&after=" + first.get("next").asText(), viewer).json();
        assertTrue(second.get("summary").isNull());
        assertEquals(List.of("c"), subjects(second));
        assertTrue(second.get("next").isNull());
    }

    @Test
    void anUnknownTraceIsAnEmptyTimelineWithAnEmptySummary() {
        JsonNode page = get("/api/v1/timelines/trace/nothing-here", viewer).json();
        assertEquals(0, page.get("events").size());
        assertEquals(0, page.get("summary").get("total").asLong());
        assertTrue(page.get("summary").get("first_time").isNull());
        assertTrue(page.get("next").isNull());
    }

    @Test
    void pagesStayConsistentWhileTheSessionKeepsReceivingEvents() throws Exception {
        List<Map<String, Object>> before = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            before.add(at(base.plusMillis(i * 10L), "t", "s-live", "web-1", "info"));
        }
        store(before);
        // while the client pages, the agent keeps shipping newer events of the same session
        List<Map<String, Object>> later = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            later.add(at(base.plusSeconds(60).plusMillis(i), "t", "s-live", "web-1", "low"));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread shipping = new Thread(() -> {
            try {
                for (int i = 0; i < later.size(); i += 20) {
                    Response r = ingest(batch(later.subList(i, i + 20), List.of()));
                    assertEquals(200, r.status(), r.body());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        shipping.start();
        List<String> served = allPages("/api/v1/timelines/session/s-live", 25, Thread::onSpinWait);
        shipping.join();
        assertNull(failure.get());

        assertEquals(served.size(), new HashSet<>(served).size(), "no event twice");
        assertEquals(inTimelineOrder(before), served.subList(0, before.size()), "every earlier event, in order");
        List<String> laterInOrder = inTimelineOrder(later);
        assertEquals(laterInOrder.subList(0, served.size() - before.size()), served.subList(before.size(), served.size()),
                "what arrived during paging follows, in order, without gaps");
    }

    @Test
    void aSubjectTimelineCoversTheLast30DaysUnlessSinceIsGiven() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        store(List.of(at(now.minus(Duration.ofDays(31)), "t-old", "s-old", "BTC", "info"),
                at(now.minus(Duration.ofDays(29)), "t-1", "s-1", "BTC", "low"),
                at(now.minus(Duration.ofHours(1)), "t-2", "s-1", "BTC", "high"),
                at(now.minus(Duration.ofHours(1)), "t-2", "s-1", "ETH", "high")));

        JsonNode recent = get("/api/v1/timelines/subject/BTC", viewer).json();
        assertEquals(List.of("t-1", "t-2"), traces(recent));
        assertEquals(2, recent.get("summary").get("total").asLong());
        Instant since = Instant.parse(recent.get("scope").get("since").asText());
        Instant until = Instant.parse(recent.get("scope").get("until").asText());
        assertEquals(Duration.ofDays(30), Duration.between(since, until));

        JsonNode all = get("/api/v1/timelines/subject/BTC?since=" + now.minus(Duration.ofDays(40)), viewer).json();
        assertEquals(List.of("t-old", "t-1", "t-2"), traces(all));
    }

    @Test
    void aSubjectTimelineNarrowsByPluginAndTypeAndPagesAcrossSeveralPages() {
        List<Map<String, Object>> docker = new ArrayList<>();
        List<Map<String, Object>> noise = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Map<String, Object> e = new HashMap<>(at(base.plusSeconds(i), "t", "s", "api-container", "info"));
            e.put("plugin", "docker");
            e.put("type", i % 2 == 0 ? "docker.container.died" : "docker.container.started");
            docker.add(e);
            Map<String, Object> other = new HashMap<>(e);
            other.put("id", uuid7().toString());
            other.put("plugin", "example");
            other.put("type", "example.heartbeat");
            noise.add(other);
        }
        store(docker);
        store(noise);

        List<String> served = allPages("/api/v1/timelines/subject/api-container?plugin=docker&type=docker.container.*",
                50, () -> { });
        assertEquals(inTimelineOrder(docker), served);
        List<String> died = allPages("/api/v1/timelines/subject/api-container?type=docker.container.died", 50, () -> { });
        assertEquals(60, died.size());
    }

    @Test
    void aSubjectWithASlashIsAddressedPercentEncoded() {
        store(List.of(at(base, "t-etc", "s", "/etc/passwd", "high")));
        String path = "/api/v1/timelines/subject/" + URLEncoder.encode("/etc/passwd", StandardCharsets.UTF_8);
        Response r = get(path + "?since=" + base.minusSeconds(1), viewer);
        assertEquals(200, r.status(), r.body());
        assertEquals("/etc/passwd", r.json().get("scope").get("id").asText());
        assertEquals(List.of("t-etc"), traces(r.json()));
    }

    @Test
    void badCursorsWindowsAndParametersAre400NamingTheParameter() {
        Response badCursor = get("/api/v1/timelines/session/s-1?after=not-a-cursor", viewer);
        assertEquals(400, badCursor.status());
        assertTrue(badCursor.json().get("detail").asText().contains("after is not a cursor of this API"), badCursor.body());

        Response tooWide = get("/api/v1/timelines/subject/BTC?since=2020-01-01T00:00:00Z&until=2022-01-01T00:00:00Z", viewer);
        assertEquals(400, tooWide.status());
        assertTrue(tooWide.json().get("detail").asText().contains("longer than 366d (vigil.timeline.max-window)"),
                tooWide.body());

        Response backwards = get("/api/v1/timelines/subject/BTC?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", viewer);
        assertEquals(400, backwards.status());
        assertTrue(backwards.json().get("detail").asText().contains("must be before until"), backwards.body());

        Response notForTraces = get("/api/v1/timelines/trace/t-1?since=2026-01-01T00:00:00Z", viewer);
        assertEquals(400, notForTraces.status());
        assertTrue(notForTraces.json().get("detail").asText().contains("unknown parameter \"since\""), notForTraces.body());

        Response several = get("/api/v1/timelines/subject/BTC?limit=0&type=docker*&since=yesterday", viewer);
        assertEquals(400, several.status());
        String detail = several.json().get("detail").asText();
        assertTrue(detail.contains("limit must be between 1 and 1000") && detail.contains("type takes exact types")
                && detail.contains("since must be an ISO-8601 time"), detail);
    }

    @Test
    void timelinesNeedAViewerAndAgentsCannotReadThem() {
        assertEquals(401, get("/api/v1/timelines/session/s-1", null).status());
        assertEquals(401, get("/api/v1/timelines/subject/BTC/stats", null).status());
        assertEquals(403, get("/api/v1/timelines/trace/t-1", AGENT_TOKEN).status());
        assertEquals(200, get("/api/v1/timelines/trace/t-1", viewer).status());
        assertEquals(200, get("/api/v1/timelines/session/s-1/stats", viewer).status());
    }

    private static List<String> subjects(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("subject").asText()));
        return out;
    }

    private static List<String> traces(JsonNode page) {
        Set<String> seen = new java.util.LinkedHashSet<>();
        page.get("events").forEach(e -> seen.add(e.get("trace_id").asText()));
        return new ArrayList<>(seen);
    }
}

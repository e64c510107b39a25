package io.vigil.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class EventQuerySpec extends ServerSpec {

    @BeforeEach
    void emptyTables() {
        clearStoredData();
    }

    @Test
    void eventsQueryPagesNewestFirstWithCursor() {
        // e3a and e3b share a time: the id breaks the tie, larger id first
        String e3a = "0190f5a2-0000-7000-8000-00000000000a";
        String e3b = "0190f5a2-0000-7000-8000-00000000000b";
        assertEquals(200, ingest(events(
                event(Map.of("title", "e1", "time", "2026-11-27T10:00:01Z")),
                event(Map.of("title", "e2", "time", "2026-11-27T10:00:02Z")),
                event(Map.of("title", "e3a", "time", "2026-11-27T10:00:03Z", "id", e3a)),
                event(Map.of("title", "e3b", "time", "2026-11-27T10:00:03Z", "id", e3b)),
                event(Map.of("title", "e5", "time", "2026-11-27T10:00:05Z")))).status());

        List<String> titles = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String next = null;
        do {
            Response page = get("/api/v1/events?limit=2" + (next == null ? "" : "&before=" + next), ADMIN_TOKEN);
            assertEquals(200, page.status(), page.body());
            page.json().get("events").forEach(e -> titles.add(e.get("title").asText()));
            pageSizes.add(page.json().get("events").size());
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        } while (next != null);

        assertEquals(List.of("e5", "e3b", "e3a", "e2", "e1"), titles);
        assertEquals(List.of(2, 2, 1), pageSizes);
    }

    @Test
    void lastFullPageHasNoNextCursor() {
        ingest(events(event(Map.of()), event(Map.of())));

        Response page = get("/api/v1/events?limit=2", ADMIN_TOKEN);

        assertEquals(2, page.json().get("events").size());
        assertTrue(page.json().get("next").isNull(), page.body());
    }

    @Test
    void eventsQueryFiltersBySeverityMinAndType() {
        ingest(events(
                event(Map.of("title", "info", "severity", "info", "type", "docker.container.died",
                        "time", "2026-11-27T10:00:01Z")),
                event(Map.of("title", "high", "severity", "high", "type", "docker.container.died",
                        "time", "2026-11-27T10:00:02Z")),
                event(Map.of("title", "critical", "severity", "critical", "type", "docker.container.died",
                        "time", "2026-11-27T10:00:03Z")),
                event(Map.of("title", "other type", "severity", "critical", "type", "schema.table.dropped",
                        "time", "2026-11-27T10:00:04Z"))));

        Response r = get("/api/v1/events?severity_min=high&type=docker.container.died", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("critical", "high"), titles(r));
    }

    @Test
    void eventsQueryFiltersByPluginMonitorAndTimeRange() {
        ingest(events(
                event(Map.of("title", "early", "time", "2026-11-27T09:00:00Z")),
                event(Map.of("title", "inside", "time", "2026-11-27T10:00:00Z")),
                event(Map.of("title", "at until", "time", "2026-11-27T11:00:00Z")),
                event(Map.of("title", "other plugin", "time", "2026-11-27T10:00:00Z", "plugin", "docker")),
                event(Map.of("title", "other monitor", "time", "2026-11-27T10:00:00Z", "monitor", "other"))));

        Response r = get("/api/v1/events?plugin=example&monitor=heartbeat&since="
                + encode("2026-11-27T09:30:00Z") + "&until=" + encode("2026-11-27T11:00:00+00:00"), ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("inside"), titles(r));
    }

    @Test
    void eventByIdReturnsEveryFieldWithAttributesAsAnObject() {
        Map<String, Object> sent = event(Map.of("severity", "medium"));
        ingest(events(sent));

        Response r = get("/api/v1/events/" + sent.get("id"), ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode e = r.json();
        for (String field : List.of("id", "time", "host", "agent", "monitor", "plugin", "type", "severity", "subject",
                "title", "fingerprint", "trace_id", "session_id")) {
            assertEquals(JSON.valueToTree(sent.get(field)), e.get(field), field);
        }
        assertTrue(e.get("attributes").isObject(), e.toString());
        assertEquals(JSON.valueToTree(sent.get("attributes")), e.get("attributes"));
        assertTrue(e.get("received_at").isTextual(), e.toString());
        assertTrue(e.get("agent_id").isNumber(), e.toString());
    }

    @Test
    void unknownEventIdIs404() {
        Response r = get("/api/v1/events/0190f5a2-0000-7000-8000-000000000000", ADMIN_TOKEN);

        assertEquals(404, r.status(), r.body());
        assertEquals("no event with id 0190f5a2-0000-7000-8000-000000000000", r.json().get("error").asText());
    }

    @Test
    void badQueryParametersAre400NamingEach() {
        Response r = get("/api/v1/events?limit=1001&severity_min=urgent&since=yesterday&before=xyz", ADMIN_TOKEN);

        assertEquals(400, r.status(), r.body());
        assertEquals("invalid query: limit must be between 1 and 1000, got 1001; "
                + "severity_min must be one of info, low, medium, high, critical, got \"urgent\"; "
                + "since must be an ISO-8601 time such as 2026-11-27T10:00:00Z, got \"yesterday\"; "
                + "cursor is not a cursor from this API: pass the 'next' value of the previous page unchanged",
                r.json().get("error").asText());
    }

    @Test
    void agentTokenCannotReadEvents403() {
        Response r = get("/api/v1/events", AGENT_TOKEN);

        assertEquals(403, r.status(), r.body());
        assertEquals("agent tokens cannot use this endpoint; it requires an API key with role viewer or higher",
                r.json().get("detail").asText());
    }

    @Test
    void readingWithoutATokenIs401() {
        Response r = get("/api/v1/events", null);

        assertEquals(401, r.status(), r.body());
        assertEquals("Bearer realm=\"vigil\"", r.header("WWW-Authenticate"));
    }

    @Test
    void readingWithAnUnknownTokenIs401() {
        Response r = get("/api/v1/events/0190f5a2-0000-7000-8000-000000000000", "guess");

        assertEquals(401, r.status(), r.body());
    }

    private static List<String> titles(Response r) {
        List<String> titles = new ArrayList<>();
        r.json().get("events").forEach(e -> titles.add(e.get("title").asText()));
        return titles;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package io.vigil.server.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session list, read from agent.session_started / agent.session_ended events, and the default
 * rule on an unclean restart. One agent (web-1) with three sessions: s-1 ended cleanly, s-2 died
 * without word (web-1 started s-3 after it), s-3 is still open; and another agent's session.
 */
@MicronautTest(transactional = false)
class SessionSpec extends ServerSpec {

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(5));
    private String viewer;

    @BeforeAll
    void sessions() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"sessions-viewer\", \"role\": \"viewer\"}")
                .json().get("token").asText();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("session_id", "s-1");
        counts.put("uptime_s", 600);
        counts.put("events_emitted", 42);
        counts.put("events_shipped", 40);
        counts.put("ship_failures", 1);
        counts.put("monitor_runs", 20);
        counts.put("monitor_failures", 2);
        counts.put("monitor_timeouts", 0);
        Response r = ingest(batch(List.of(
                started("web-1", "s-1", t0, null, null),
                sessionEvent("web-1", "s-1", t0.plus(Duration.ofMinutes(5)), "example.heartbeat", Map.of()),
                sessionEvent("web-1", "s-1", t0.plus(Duration.ofMinutes(10)), "agent.session_ended", counts),
                started("web-1", "s-2", t0.plus(Duration.ofMinutes(20)), "s-1", true),
                sessionEvent("web-1", "s-2", t0.plus(Duration.ofMinutes(25)), "example.heartbeat", Map.of()),
                started("web-1", "s-3", t0.plus(Duration.ofMinutes(30)), "s-2", false),
                started("db-1", "s-9", t0.plus(Duration.ofMinutes(1)), null, null)), List.of()));
        assertEquals(200, r.status(), r.body());
    }

    private static Map<String, Object> sessionEvent(String agent, String session, Instant time, String type,
                                                    Map<String, Object> attributes) {
        Map<String, Object> e = new HashMap<>();
        e.put("agent", agent);
        e.put("host", agent + ".example");
        e.put("subject", agent);
        e.put("plugin", "agent");
        e.put("monitor", "agent");
        e.put("type", type);
        e.put("time", time.toString());
        e.put("session_id", session);
        e.put("trace_id", uuid7().toString());
        e.put("fingerprint", null);
        e.put("attributes", attributes);
        return event(e);
    }

    private static Map<String, Object> started(String agent, String session, Instant time, String previous,
                                               Boolean previousClean) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("session_id", session);
        a.put("version", "1.4.0");
        a.put("pid", 4242);
        a.put("host", agent + ".example");
        a.put("plugins", Map.of("example", "0.1.0"));
        a.put("monitors", List.of("beat"));
        a.put("previous_session_id", previous);
        a.put("previous_ended_cleanly", previousClean);
        Map<String, Object> e = sessionEvent(agent, session, time, "agent.session_started", a);
        if (Boolean.FALSE.equals(previousClean)) {
            e.put("severity", "medium");
        }
        return e;
    }

    private Map<String, JsonNode> byId(JsonNode page) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        page.get("sessions").forEach(s -> out.put(s.get("session_id").asText(), s));
        return out;
    }

    @Test
    void anAgentsSessionsAreListedNewestFirstWithHowEachEnded() {
        Response r = get("/api/v1/sessions?agent=web-1", viewer);
        assertEquals(200, r.status(), r.body());
        Map<String, JsonNode> sessions = byId(r.json());
        assertEquals(List.of("s-3", "s-2", "s-1"), new ArrayList<>(sessions.keySet()));

        JsonNode open = sessions.get("s-3");
        assertEquals("open", open.get("state").asText());
        assertTrue(open.get("ended_cleanly").isNull());
        assertEquals("s-2", open.get("previous_session_id").asText());
        assertEquals(false, open.get("previous_ended_cleanly").asBoolean(true));

        JsonNode crashed = sessions.get("s-2");
        assertEquals("ended_uncleanly", crashed.get("state").asText());
        assertEquals(false, crashed.get("ended_cleanly").asBoolean(true));
        assertTrue(crashed.get("ended_at").isNull());
        assertTrue(crashed.get("uptime_seconds").isNull());
        assertTrue(crashed.get("counts").isNull());
        assertEquals(t0.plus(Duration.ofMinutes(25)), Instant.parse(crashed.get("last_event_at").asText()));
        assertEquals("s-3", crashed.get("next_session_id").asText());

        JsonNode clean = sessions.get("s-1");
        assertEquals("ended", clean.get("state").asText());
        assertEquals(true, clean.get("ended_cleanly").asBoolean(false));
        assertEquals(t0, Instant.parse(clean.get("started_at").asText()));
        assertEquals(t0.plus(Duration.ofMinutes(10)), Instant.parse(clean.get("ended_at").asText()));
        assertEquals(600, clean.get("uptime_seconds").asLong());
        assertEquals("{\"events_emitted\":42,\"events_shipped\":40,\"ship_failures\":1,\"monitor_runs\":20,"
                + "\"monitor_failures\":2,\"monitor_timeouts\":0}", clean.get("counts").toString());
        assertEquals("web-1", clean.get("agent").asText());
        assertEquals("web-1.example", clean.get("host").asText());
        assertEquals("1.4.0", clean.get("version").asText());
        assertEquals(4242, clean.get("pid").asLong());
        assertTrue(clean.get("previous_session_id").isNull());
    }

    @Test
    void anotherAgentsSessionIsNotTakenForTheNextSession() {
        Map<String, JsonNode> all = byId(get("/api/v1/sessions", viewer).json());
        assertEquals(List.of("s-3", "s-2", "s-9", "s-1"), new ArrayList<>(all.keySet()));
        assertEquals("open", all.get("s-9").get("state").asText(), "db-1 started nothing after s-9");
    }

    @Test
    void theListPagesWithACursorAndTheWindowBoundsTheStartTime() {
        JsonNode first = get("/api/v1/sessions?limit=2", viewer).json();
        assertEquals(List.of("s-3", "s-2"), new ArrayList<>(byId(first).keySet()));
        JsonNode second = get("/api/v1/sessions?limit=2&cursor=" + first.get("next").asText(), viewer).json();
        assertEquals(List.of("s-9", "s-1"), new ArrayList<>(byId(second).keySet()));
        assertTrue(second.get("next").isNull());

        JsonNode window = get("/api/v1/sessions?since=" + t0.plus(Duration.ofMinutes(15)) + "&until="
                + t0.plus(Duration.ofMinutes(25)), viewer).json();
        assertEquals(List.of("s-2"), new ArrayList<>(byId(window).keySet()));
        JsonNode before = get("/api/v1/sessions?until=" + t0, viewer).json();
        assertEquals(0, before.get("sessions").size());
    }

    @Test
    void badParametersAre400AndTheListNeedsAViewer() {
        Response r = get("/api/v1/sessions?cursor=zzz&limit=5000&agnet=web-1", viewer);
        assertEquals(400, r.status());
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains("cursor is not a cursor from this API") && detail.contains("limit must be between 1 and 1000")
                && detail.contains("unknown parameter \"agnet\""), detail);
        assertEquals(401, get("/api/v1/sessions", null).status());
        assertEquals(403, get("/api/v1/sessions", AGENT_TOKEN).status());
    }

    @Test
    void aRestartAfterAnUncleanStopRaisesAMediumAlertAndACleanOneDoesNot() {
        JsonNode alerts = get("/api/v1/alerts?rule=agent-unclean-restart", viewer).json().get("alerts");
        assertEquals(1, alerts.size(), alerts.toString());
        JsonNode alert = alerts.get(0);
        assertEquals("medium", alert.get("severity").asText());
        assertEquals("agent restarted after an unclean stop: web-1 on web-1.example", alert.get("title").asText());
        assertEquals("session s-2 ended without word; new session s-3", alert.get("message").asText());
    }

    @Test
    void aSessionsTimelineRunsFromItsStartToItsEnd() {
        JsonNode page = get("/api/v1/timelines/session/s-1", viewer).json();
        List<String> types = new ArrayList<>();
        page.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("agent.session_started", "example.heartbeat", "agent.session_ended"), types);
        assertEquals(3, page.get("summary").get("total").asLong());
    }
}

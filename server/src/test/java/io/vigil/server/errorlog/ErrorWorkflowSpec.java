package io.vigil.server.errorlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vigil.server.errorlog.ErrorReports.errors;
import static io.vigil.server.errorlog.ErrorReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolve, reopen and assign, with roles and who-did-it; a resolved error that recurs reopens. */
@MicronautTest(transactional = false)
class ErrorWorkflowSpec extends ServerSpec {

    String viewer;
    String operator;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.errors.capture.enabled", "false");
    }

    @BeforeAll
    void keys() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"vera\", \"role\": \"viewer\"}").json()
                .get("token").asText();
        operator = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"otto\", \"role\": \"operator\"}").json()
                .get("token").asText();
    }

    @BeforeEach
    void empty() {
        execute("TRUNCATE error_groups CASCADE");
        execute("DELETE FROM events WHERE plugin = 'server'");
    }

    private long groupAt(Instant at) {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(at, 1)));
        assertEquals(200, r.status(), r.body());
        return count("SELECT id FROM error_groups");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void operatorResolvesWithANoteAndWhoIsRecorded() {
        long id = groupAt(now().minusSeconds(60));
        Response r = postJson("/api/v1/errors/" + id + "/resolve", operator, "{\"note\": \"disk replaced\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("resolved", r.json().get("status").asText());
        assertEquals("key:otto", r.json().get("resolved_by").asText());
        assertEquals("disk replaced", r.json().get("resolution_note").asText());
        JsonNode detail = get("/api/v1/errors/" + id, viewer).json();
        assertEquals("key:otto", detail.at("/activity/0/actor").asText());
        assertEquals("resolved", detail.at("/activity/0/action").asText());
        assertEquals("disk replaced", detail.at("/activity/0/note").asText());
    }

    @Test
    void viewerMayReadButNotResolveReopenOrAssign() {
        long id = groupAt(now().minusSeconds(60));
        assertEquals(200, get("/api/v1/errors", viewer).status());
        assertEquals(200, get("/api/v1/errors/" + id, viewer).status());
        assertEquals(200, get("/api/v1/errors/stats", viewer).status());
        assertEquals(403, postJson("/api/v1/errors/" + id + "/resolve", viewer, "{}").status());
        assertEquals(403, postJson("/api/v1/errors/" + id + "/reopen", viewer, "{}").status());
        assertEquals(403, postJson("/api/v1/errors/" + id + "/assign", viewer, "{\"assignee\": \"vera\"}").status());
        assertEquals(403, get("/api/v1/errors", AGENT_TOKEN).status());
        assertEquals("open", queryOne("SELECT status FROM error_groups").get("status"));
        assertEquals(0, count("SELECT count(*) FROM error_activity"));
    }

    @Test
    void operatorReopensAResolvedGroupAndReopenCountGrows() {
        long id = groupAt(now().minusSeconds(60));
        postJson("/api/v1/errors/" + id + "/resolve", operator, "{}");
        Response r = postJson("/api/v1/errors/" + id + "/reopen", operator, "{}");
        assertEquals(200, r.status(), r.body());
        assertEquals("open", r.json().get("status").asText());
        assertEquals(1, r.json().get("reopen_count").asInt());
        assertEquals(List.of("resolved:key:otto", "reopened:key:otto"), activity(id));
    }

    @Test
    void resolvingAResolvedOrReopeningAnOpenGroupIs409AndAnUnknownGroup404() {
        long id = groupAt(now().minusSeconds(60));
        postJson("/api/v1/errors/" + id + "/resolve", operator, "{}");
        Response twice = postJson("/api/v1/errors/" + id + "/resolve", operator, "{}");
        assertEquals(409, twice.status());
        assertTrue(twice.json().get("detail").asText().startsWith("error group " + id + " is resolved already"));
        assertEquals(200, postJson("/api/v1/errors/" + id + "/reopen", operator, "{}").status());
        Response openAlready = postJson("/api/v1/errors/" + id + "/reopen", operator, "{}");
        assertEquals(409, openAlready.status());
        assertEquals("error group " + id + " is open already", openAlready.json().get("detail").asText());
        assertEquals(404, postJson("/api/v1/errors/999999/resolve", operator, "{}").status());
        assertEquals(404, get("/api/v1/errors/999999", viewer).status());
    }

    @Test
    void operatorAssignsAndUnassigns() {
        long id = groupAt(now().minusSeconds(60));
        Response r = postJson("/api/v1/errors/" + id + "/assign", operator, "{\"assignee\": \"alice\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("alice", r.json().get("assignee").asText());
        assertEquals(400, postJson("/api/v1/errors/" + id + "/assign", operator, "{}").status());
        Response unassigned = postJson("/api/v1/errors/" + id + "/assign", operator, "{\"assignee\": \"\"}");
        assertTrue(unassigned.json().get("assignee").isNull());
        assertEquals(List.of("assigned:key:otto", "assigned:key:otto"), activity(id));
    }

    @Test
    void aResolvedErrorThatRecursReopensAndEmitsAnEvent() {
        long id = groupAt(now().minusSeconds(60));
        postJson("/api/v1/errors/" + id + "/resolve", operator, "{\"note\": \"fixed\"}");
        JsonNode answer = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(now().plusSeconds(1), 4))).json();
        assertEquals(1, answer.get("reopened").asInt());

        JsonNode group = get("/api/v1/errors/" + id, viewer).json().get("group");
        assertEquals("open", group.get("status").asText());
        assertEquals(1, group.get("reopen_count").asInt());
        assertEquals(5, group.get("occurrences").asLong());
        assertEquals("key:otto", group.get("resolved_by").asText()); // the last resolution stays visible
        assertEquals(List.of("resolved:key:otto", "reopened:" + AGENT_NAME), activity(id));

        Map<String, Object> event = queryOne("SELECT type, plugin, subject, severity, agent_id, "
                + "attributes->>'source' AS source, attributes->>'reopen_count' AS reopens FROM events "
                + "WHERE type = 'server.error.reopened'");
        assertEquals("server.error.reopened", event.get("type"));
        assertEquals("server", event.get("plugin"));
        assertEquals(group.get("fingerprint").asText(), event.get("subject"));
        assertEquals(3, ((Number) event.get("severity")).intValue()); // error → high
        assertNull(event.get("agent_id"));
        assertEquals(AGENT_NAME, event.get("source"));
        assertEquals("1", event.get("reopens"));
    }

    @Test
    void aLateReportOfOccurrencesBeforeTheResolutionDoesNotReopen() {
        Instant before = now().minusSeconds(120);
        long id = groupAt(before);
        postJson("/api/v1/errors/" + id + "/resolve", operator, "{}");
        JsonNode answer = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(before.plusSeconds(30), 2))).json();
        assertEquals(0, answer.get("reopened").asInt());
        assertEquals("resolved", queryOne("SELECT status FROM error_groups").get("status"));
        assertEquals(3, count("SELECT occurrences FROM error_groups"));
        assertEquals(0, count("SELECT count(*) FROM events WHERE type = 'server.error.reopened'"));
    }

    @Test
    void listFiltersByStatusSeverityAndComponentNewestFirstWithKeysetPages() {
        Instant t = now().minusSeconds(3600);
        for (int i = 0; i < 5; i++) {
            postJson("/api/v1/errors", AGENT_TOKEN, errors(report(t.plusSeconds(i), 1,
                    Map.of("component", "monitor:m" + i, "severity", i % 2 == 0 ? "error" : "warn"))));
        }
        long first = count("SELECT id FROM error_groups WHERE component = 'monitor:m0'");
        postJson("/api/v1/errors/" + first + "/resolve", operator, "{}");

        assertEquals(List.of("monitor:m4", "monitor:m2"),
                components(get("/api/v1/errors?status=open&severity=error", viewer).json()));
        assertEquals(List.of("monitor:m0"), components(get("/api/v1/errors?status=resolved", viewer).json()));
        assertEquals(List.of("monitor:m3", "monitor:m1"),
                components(get("/api/v1/errors?component=monitor:m1,monitor:m3", viewer).json()));
        assertEquals(List.of("monitor:m1", "monitor:m0"), components(get("/api/v1/errors?until="
                + t.plusSeconds(2), viewer).json()));

        List<String> paged = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = get("/api/v1/errors?limit=2" + (next == null ? "" : "&cursor=" + next), viewer).json();
            paged.addAll(components(page));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        assertEquals(List.of("monitor:m4", "monitor:m3", "monitor:m2", "monitor:m1", "monitor:m0"), paged);
    }

    @Test
    void aBadListParameterIs400NamingIt() {
        Response r = get("/api/v1/errors?status=closed&severity=fatal", viewer);
        assertEquals(400, r.status());
        assertTrue(r.json().get("detail").asText().contains("status: expected open or resolved, got \"closed\""),
                r.body());
        assertTrue(r.json().get("detail").asText().contains("severity: expected warn, error, critical, got \"fatal\""),
                r.body());
    }

    private static List<String> components(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("groups").forEach(g -> out.add(g.get("component").asText()));
        return out;
    }

    private List<String> activity(long id) {
        return query("SELECT action || ':' || actor AS a FROM error_activity WHERE group_id = ? ORDER BY id", id)
                .stream().map(r -> (String) r.get("a")).toList();
    }
}

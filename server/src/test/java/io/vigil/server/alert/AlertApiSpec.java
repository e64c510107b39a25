package io.vigil.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AlertApiSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: service-down
                    event:
                      type: service.down
                      resolve_on: service.up
                    title: "{{subject}} is down"
                    labels: {team: web}
                """;
    }

    /** Fires an alert for {@code subject} and returns its id. */
    private long fire(String subject, String severity) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", "service.down", "severity", severity,
                "subject", subject, "fingerprint", "svc:" + subject)))).status());
        await("the alert of " + subject, Duration.ofSeconds(5),
                () -> alertsOf("service-down").stream().anyMatch(a -> a.get("title").equals(subject + " is down")));
        return ((Number) alertsOf("service-down").stream().filter(a -> a.get("title").equals(subject + " is down"))
                .findFirst().orElseThrow().get("id")).longValue();
    }

    private Response post(String path, String token, String json) {
        return postJson(path, token, json);
    }

    @Test
    void viewerReadsAnAlertWithItsEventsAndActivity() {
        long id = fire("checkout", "high");

        Response r = get("/api/v1/alerts/" + id, key("viewer"));
        assertEquals(200, r.status(), r.body());
        JsonNode alert = r.json().get("alert");
        assertEquals("firing", alert.get("state").asText());
        assertEquals("high", alert.get("severity").asText());
        assertEquals("web", alert.get("labels").get("team").asText());
        assertEquals("service.down", r.json().get("events").get(0).get("type").asText());
        assertEquals("checkout", r.json().get("events").get(0).get("subject").asText());
        assertEquals("fired", r.json().get("activity").get(0).get("action").asText());
        assertEquals("rule:service-down", r.json().get("activity").get(0).get("actor").asText());
    }

    @Test
    void listFiltersByStateSeverityAndLabels() {
        fire("search", "critical");
        long low = fire("thumbnails", "low");
        assertEquals(200, post("/api/v1/alerts/" + low + "/resolve", key("operator"), "{}").status());

        JsonNode critical = get("/api/v1/alerts?state=open&severity_min=critical", key("viewer")).json().get("alerts");
        assertTrue(critical.size() >= 1);
        critical.forEach(a -> assertEquals("critical", a.get("severity").asText()));
        JsonNode resolved = get("/api/v1/alerts?state=resolved&match=subject%3Dthumbnails", key("viewer")).json().get("alerts");
        assertEquals(1, resolved.size());
        assertEquals(low, resolved.get(0).get("id").asLong());
        assertEquals(400, get("/api/v1/alerts?state=burning", key("viewer")).status());
    }

    @Test
    void viewerCannotActOnAlerts() {
        long id = fire("payments", "high");

        Response r = post("/api/v1/alerts/" + id + "/acknowledge", key("viewer"), "{}");
        assertEquals(403, r.status());
        assertEquals("this endpoint requires role operator or higher; key:spec-viewer has role viewer",
                r.json().get("error").asText());
        assertEquals("firing", get("/api/v1/alerts/" + id, key("viewer")).json().get("alert").get("state").asText());
    }

    @Test
    void operatorAcknowledgesAndTheAuditTrailSaysWhoWhenAndWhy() {
        long id = fire("login", "high");

        Response r = post("/api/v1/alerts/" + id + "/acknowledge", key("operator"), "{\"comment\": \"on it\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("acknowledged", r.json().get("state").asText());
        assertEquals("key:spec-operator", r.json().get("acknowledged_by").asText());
        assertTrue(r.json().get("acknowledged_at").isTextual());

        JsonNode activity = get("/api/v1/alerts/" + id, key("viewer")).json().get("activity");
        JsonNode ack = activity.get(activity.size() - 1);
        assertEquals("acknowledged", ack.get("action").asText());
        assertEquals("key:spec-operator", ack.get("actor").asText());
        assertEquals("on it", ack.get("comment").asText());

        Response again = post("/api/v1/alerts/" + id + "/acknowledge", key("operator"), "{}");
        assertEquals(409, again.status());
        assertTrue(again.json().get("error").asText().startsWith("alert " + id + " was already acknowledged by key:spec-operator"));
    }

    @Test
    void operatorResolvesWithAReasonAndASecondResolveIsAConflict() {
        long id = fire("cart", "medium");

        Response r = post("/api/v1/alerts/" + id + "/resolve", key("operator"), "{\"comment\": \"false alarm\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("resolved", r.json().get("state").asText());
        assertEquals("false alarm", r.json().get("resolution").asText());
        assertEquals("key:spec-operator", r.json().get("resolved_by").asText());
        awaitHooks("\"resolved\"", 1);

        assertEquals(409, post("/api/v1/alerts/" + id + "/resolve", key("operator"), "{}").status());
        assertEquals(409, post("/api/v1/alerts/" + id + "/acknowledge", key("operator"), "{}").status());
    }

    @Test
    void operatorCommentsOnAnAlert() {
        long id = fire("images", "low");

        Response r = post("/api/v1/alerts/" + id + "/comments", key("operator"), "{\"comment\": \"caused by the CDN\"}");
        assertEquals(201, r.status(), r.body());
        JsonNode activity = get("/api/v1/alerts/" + id, key("viewer")).json().get("activity");
        assertEquals("commented", activity.get(activity.size() - 1).get("action").asText());
        assertEquals("caused by the CDN", activity.get(activity.size() - 1).get("comment").asText());
        assertEquals(400, post("/api/v1/alerts/" + id + "/comments", key("operator"), "{}").status());
        assertEquals(404, post("/api/v1/alerts/999999/comments", key("operator"), "{\"comment\": \"x\"}").status());
    }

    @Test
    void aResolvedAlertThatHappensAgainOpensANewAlert() {
        long first = fire("queue", "high");
        assertEquals(200, ingest(events(eventNow(Map.of("type", "service.up", "severity", "info", "subject", "queue",
                "fingerprint", "svc:queue")))).status());
        await("the queue alert to resolve", Duration.ofSeconds(5),
                () -> get("/api/v1/alerts/" + first, key("viewer")).json().get("alert").get("state").asText().equals("resolved"));

        assertEquals(200, ingest(events(eventNow(Map.of("type", "service.down", "severity", "high", "subject", "queue",
                "fingerprint", "svc:queue")))).status());
        await("a second queue alert", Duration.ofSeconds(5),
                () -> alertsOf("service-down").stream().filter(a -> a.get("title").equals("queue is down")).count() == 2);
        awaitHooks("queue is down", 3); // firing, resolved, firing again
    }

    @Test
    void theDashboardShowsFiringAlertsMostSevereFirst() {
        fire("dashboard", "critical");

        Response r = get("/api/v1/dashboard", key("viewer"));
        assertEquals(200, r.status(), r.body());
        JsonNode firing = r.json().get("firing_alerts");
        assertTrue(firing.get("firing").asInt() >= 1, firing.toString());
        assertTrue(firing.get("by_severity").get("critical").asInt() >= 1, firing.toString());
        assertEquals("critical", firing.get("top").get(0).get("severity").asText());
    }
}

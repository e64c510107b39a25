package io.vigil.server.silence;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class SilenceSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: host-down
                    event:
                      type: host.down
                    title: "{{subject}} is down"
                """;
    }

    @Override
    protected String routing() {
        return super.routing() + """
                maintenance_windows:
                  - name: db-upgrade
                    match: ['subject=~"db-.*"']
                    starts_at: "%s"
                    ends_at: "%s"
                """.formatted(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
    }

    private void fire(String subject) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", "host.down", "severity", "high", "subject", subject,
                "fingerprint", "host:" + subject)))).status());
    }

    private long alertCount(String subject) {
        return alertsOf("host-down").stream().filter(a -> a.get("title").equals(subject + " is down")).count();
    }

    @Test
    void silencedAlertIsRecordedButNobodyIsNotified() {
        Response created = postJson("/api/v1/silences", key("operator"),
                "{\"matchers\": [\"subject=\\\"web-9\\\"\"], \"duration\": \"1h\", \"comment\": \"deploying\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("active", created.json().get("state").asText());
        assertEquals("key:spec-operator", created.json().get("created_by").asText());

        fire("web-9");
        fire("web-10"); // not silenced: proves notifications flow meanwhile
        awaitHooks("web-10 is down", 1);
        pause(Duration.ofMillis(300));

        assertEquals(1, alertCount("web-9"));
        assertTrue(hooksAbout("web-9 is down").isEmpty());
    }

    @Test
    void expiringASilenceLetsTheWaitingAlertBeNotified() {
        Response created = postJson("/api/v1/silences", key("operator"),
                "{\"matchers\": [\"subject=web-11\"], \"duration\": \"1h\"}");
        long id = created.json().get("id").asLong();
        fire("web-11");
        pause(Duration.ofMillis(300));
        assertTrue(hooksAbout("web-11 is down").isEmpty());

        Response expired = send(request("/api/v1/silences/" + id, key("operator")).DELETE());
        assertEquals(200, expired.status(), expired.body());
        assertEquals("expired", expired.json().get("state").asText());
        // the group re-checks silenced alerts every minute; flush it now instead of waiting
        execute("UPDATE notification_groups SET flush_at = now()");
        awaitHooks("web-11 is down", 1);
    }

    @Test
    void maintenanceWindowSuppressesNotificationsOfMatchingAlerts() {
        fire("db-1");
        fire("app-1");
        awaitHooks("app-1 is down", 1);
        pause(Duration.ofMillis(300));

        assertEquals(1, alertCount("db-1"));
        assertTrue(hooksAbout("db-1 is down").isEmpty());
    }

    @Test
    void silencesAreListedAndValidated() {
        postJson("/api/v1/silences", key("operator"), "{\"matchers\": [\"team=db\"], \"duration\": \"2h\"}");
        JsonNode active = get("/api/v1/silences?state=active", key("viewer")).json().get("silences");
        assertTrue(active.size() >= 1);
        assertEquals("team=\"db\"", active.get(0).get("matchers").get(0).asText());

        Response noEnd = postJson("/api/v1/silences", key("operator"), "{\"matchers\": [\"team=db\"]}");
        assertEquals(400, noEnd.status());
        assertEquals("ends_at or duration is required (a silence always ends)", noEnd.json().get("error").asText());
        Response badMatcher = postJson("/api/v1/silences", key("operator"), "{\"matchers\": [\"team\"], \"duration\": \"1h\"}");
        assertEquals(400, badMatcher.status());
        assertTrue(badMatcher.json().get("error").asText().startsWith("matchers: \"team\" is not a matcher"));
        assertEquals(403, postJson("/api/v1/silences", key("viewer"), "{\"matchers\": [\"a=b\"], \"duration\": \"1h\"}").status());
    }
}

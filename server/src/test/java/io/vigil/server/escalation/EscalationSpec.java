package io.vigil.server.escalation;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.Receiver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Escalation of unacknowledged alerts (steps of 2 s and 3 s here: long enough for the acknowledge to land first on a loaded machine; 15 min, 1 h, 2 h by default in the docs). */
@MicronautTest(transactional = false)
class EscalationSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: pump-failed
                    event:
                      type: pump.failed
                    severity: critical
                    title: "pump {{subject}} failed"
                """;
    }

    @Override
    protected String routing() {
        String secret = BOX.encrypt(WEBHOOK_SECRET);
        return """
                channels:
                  - name: hook
                    type: webhook
                    url: %s
                    secret: %s
                  - name: level-1
                    type: webhook
                    url: %s
                    secret: %s
                  - name: level-2
                    type: webhook
                    url: %s
                    secret: %s
                route:
                  channels: [hook]
                  group_wait: 0s
                  escalation: oncall
                escalation_policies:
                  - name: oncall
                    steps:
                      - after: 2s
                        channels: [level-1]
                      - after: 3s
                        channels: [level-2]
                """.formatted(receiver.uri("/hook"), secret, receiver.uri("/level-1"), secret, receiver.uri("/level-2"),
                secret);
    }

    private long fire(String pump) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", "pump.failed", "severity", "high", "subject", pump,
                "fingerprint", "pump:" + pump)))).status());
        await("the alert of pump " + pump, Duration.ofSeconds(5),
                () -> alertsOf("pump-failed").stream().anyMatch(a -> a.get("title").equals("pump " + pump + " failed")));
        return ((Number) alertsOf("pump-failed").stream().filter(a -> a.get("title").equals("pump " + pump + " failed"))
                .findFirst().orElseThrow().get("id")).longValue();
    }

    @Test
    void unacknowledgedAlertEscalatesStepByStep() {
        long id = fire("p1");

        Receiver.Hit first = receiver.await(h -> h.path().equals("/level-1") && h.text().contains("pump p1"), 1,
                Duration.ofSeconds(10)).get(0);
        JsonNode body = json(first);
        assertEquals("escalation", body.get("kind").asText());
        assertEquals(1, body.get("escalation_level").asInt());
        assertEquals("[ESCALATION L1] [CRITICAL] pump p1 failed", body.get("title").asText());
        receiver.await(h -> h.path().equals("/level-2") && h.text().contains("pump p1"), 1, Duration.ofSeconds(10));

        await("escalation level 2 on the alert", Duration.ofSeconds(5),
                () -> ((Number) alertsOf("pump-failed").stream().filter(a -> ((Number) a.get("id")).longValue() == id)
                        .findFirst().orElseThrow().get("escalation_level")).intValue() == 2);
        JsonNode activity = get("/api/v1/alerts/" + id, key("viewer")).json().get("activity");
        List<String> escalations = new java.util.ArrayList<>();
        activity.forEach(a -> {
            if (a.get("action").asText().equals("escalated")) {
                escalations.add(a.get("comment").asText());
            }
        });
        assertEquals(List.of("level 1", "level 2"), escalations);
        assertEquals(0L, count("SELECT count(*) FROM alert_escalations WHERE alert_id = ?", id));
    }

    @Test
    void acknowledgedAlertStopsEscalating() {
        long id = fire("p2");
        assertEquals(200, postJson("/api/v1/alerts/" + id + "/acknowledge", key("operator"), "{}").status());

        pause(Duration.ofMillis(3500)); // past both steps
        assertTrue(receiver.hits(h -> !h.path().equals("/hook") && h.text().contains("pump p2")).isEmpty());
        assertEquals(0L, count("SELECT count(*) FROM alert_escalations WHERE alert_id = ?", id));
    }
}

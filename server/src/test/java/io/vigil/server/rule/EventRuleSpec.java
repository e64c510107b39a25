package io.vigil.server.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.Receiver;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class EventRuleSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: container-died
                    event:
                      plugin: docker
                      type: docker.container.*
                      severity_min: high
                      attributes:
                        planned: false
                        exit_code: {ne: 0}
                      resolve_on: docker.container.started
                    title: "{{subject}} died with exit code {{attributes.exit_code}}"
                    message: "image {{attributes.image}} on {{host}}"
                    labels: {team: platform}
                  - id: disk-quiet
                    event:
                      type: disk.full
                      resolve_after: 1s
                    severity: critical
                    title: "disk full on {{subject}}"
                """;
    }

    private static Map<String, Object> died(String container, int exitCode) {
        return eventNow(Map.of("plugin", "docker", "type", "docker.container.died", "severity", "high",
                "subject", container, "fingerprint", "docker:web-1:" + container + ":state",
                "attributes", Map.of("exit_code", exitCode, "planned", false, "image", "nginx:1.27")));
    }

    @Test
    void matchingEventFiresOneAlertAndOneSignedWebhook() throws Exception {
        assertEquals(200, ingest(events(died("api-1", 137))).status());

        Receiver.Hit hit = awaitHooks("api-1 died", 1).get(0);
        JsonNode body = json(hit);
        assertEquals("firing", body.get("kind").asText());
        assertEquals("[HIGH] api-1 died with exit code 137", body.get("title").asText());
        JsonNode alert = body.get("alerts").get(0);
        assertEquals("image nginx:1.27 on web-1", alert.get("message").asText());
        assertEquals("platform", alert.get("labels").get("team").asText());
        assertEquals("container-died", alert.get("labels").get("rule").asText());
        // the signature a receiver checks: HMAC-SHA256(secret, timestamp + "." + body)
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((hit.header("X-Vigil-Timestamp") + ".").getBytes(StandardCharsets.US_ASCII));
        assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(hit.body())), hit.header("X-Vigil-Signature"));
        assertEquals(body.get("notification_id").asText(), hit.header("X-Vigil-Delivery"));

        List<Map<String, Object>> alerts = alertsOf("container-died").stream()
                .filter(a -> a.get("title").toString().startsWith("api-1")).toList();
        assertEquals(1, alerts.size());
        assertEquals("firing", alerts.get(0).get("state"));
        assertEquals(3, alerts.get(0).get("severity"));
    }

    @Test
    void repeatOfAnOpenAlertRaisesItsCountAndNotifiesNothingMore() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, ingest(events(died("worker-7", 1))).status());
        }
        awaitHooks("worker-7 died", 1);
        pause(Duration.ofMillis(500));

        assertEquals(1, hooksAbout("worker-7 died").size());
        List<Map<String, Object>> alerts = alertsOf("container-died").stream()
                .filter(a -> a.get("title").toString().startsWith("worker-7")).toList();
        assertEquals(1, alerts.size());
        assertEquals(3, alerts.get(0).get("count"));
        assertEquals(3L, count("SELECT count(*) FROM alert_events WHERE alert_id = ?", alerts.get(0).get("id")));
    }

    @Test
    void redeliveredBatchAlertsNothingTwice() {
        String batch = events(died("cron-2", 2));
        assertEquals(200, ingest(batch).status());
        assertEquals(200, ingest(batch).status());
        awaitHooks("cron-2 died", 1);
        pause(Duration.ofMillis(300));

        assertEquals(1, hooksAbout("cron-2 died").size());
        assertEquals(1, alertsOf("container-died").stream()
                .filter(a -> a.get("title").toString().startsWith("cron-2")).findFirst().orElseThrow().get("count"));
    }

    @Test
    void resolveEventWithTheSameFingerprintResolvesTheAlertAndNotifiesIt() {
        assertEquals(200, ingest(events(died("db-3", 3))).status());
        awaitHooks("db-3 died", 1);

        assertEquals(200, ingest(events(eventNow(Map.of("plugin", "docker", "type", "docker.container.started",
                "severity", "info", "subject", "db-3", "fingerprint", "docker:web-1:db-3:state")))).status());

        Receiver.Hit resolved = receiver.await(h -> h.text().contains("db-3 died") && h.text().contains("\"resolved\""),
                1, Duration.ofSeconds(10)).get(0);
        assertEquals("[RESOLVED] db-3 died with exit code 3", json(resolved).get("title").asText());
        Map<String, Object> alert = alertsOf("container-died").stream()
                .filter(a -> a.get("title").toString().startsWith("db-3")).findFirst().orElseThrow();
        assertEquals("resolved", alert.get("state"));
        assertEquals("rule:container-died", alert.get("resolved_by"));
        assertTrue(alert.get("resolution").toString().startsWith("resolved by docker.container.started event"));
    }

    @Test
    void eventsOutsideTheMatchFireNothing() {
        // severity below the minimum, a planned exit, exit code 0, another plugin
        Map<String, Object> low = new java.util.HashMap<>(died("quiet-1", 1));
        low.put("severity", "medium");
        Map<String, Object> planned = died("quiet-2", 1);
        ((Map<String, Object>) planned).put("attributes", Map.of("exit_code", 1, "planned", true));
        Map<String, Object> clean = died("quiet-3", 0);
        Map<String, Object> other = new java.util.HashMap<>(died("quiet-4", 1));
        other.put("plugin", "podman");
        assertEquals(200, ingest(batch(List.of(low, planned, clean, other), List.of())).status());
        pause(Duration.ofMillis(400));

        assertEquals(0, alertsOf("container-died").stream()
                .filter(a -> a.get("title").toString().startsWith("quiet-")).count());
        assertTrue(receiver.hits(h -> h.text().contains("quiet-")).isEmpty());
    }

    @Test
    void quietPeriodResolvesAnAlertThatStoppedRepeating() {
        assertEquals(200, ingest(events(eventNow(Map.of("type", "disk.full", "severity", "high", "subject", "nas-1",
                "fingerprint", "disk:nas-1")))).status());
        awaitHooks("disk full on nas-1", 1);

        await("the quiet disk alert to resolve", Duration.ofSeconds(10),
                () -> alertsOf("disk-quiet").stream().anyMatch(a -> a.get("state").equals("resolved")));
        Map<String, Object> alert = alertsOf("disk-quiet").get(0);
        assertEquals("no matching event for 1s", alert.get("resolution"));
        assertEquals(4, alert.get("severity"));
    }
}

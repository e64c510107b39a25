package io.vigil.server.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's delivery: retries, the delivery log, and secrets kept out of both. */
@MicronautTest(transactional = false)
class DeliverySpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: job-failed
                    event:
                      type: job.failed
                    title: "job {{subject}} failed"
                """;
    }

    private long fire(String job) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", "job.failed", "severity", "high", "subject", job,
                "fingerprint", "job:" + job)))).status());
        await("the notification about job " + job, Duration.ofSeconds(5),
                () -> count("SELECT count(*) FROM notifications WHERE title LIKE ?", "%job " + job + " failed%") == 1);
        return ((Number) queryOne("SELECT id FROM notifications WHERE title LIKE ?", "%job " + job + " failed%")
                .get("id")).longValue();
    }

    private Map<String, Object> notification(long id) {
        return queryOne("SELECT state, attempts, last_error FROM notifications WHERE id = ?", id);
    }

    private List<Map<String, Object>> attempts(long id) {
        return query("SELECT attempt, outcome, http_status, error, latency_ms FROM notification_attempts "
                + "WHERE notification_id = ? ORDER BY id", id);
    }

    @Test
    void failingReceiverIsRetriedUntilItAcceptsAndEveryAttemptIsLogged() {
        receiver.answer(500, "database is restarting");
        long id = fire("backup");

        awaitHooks("job backup failed", 2);
        await("delivery", Duration.ofSeconds(5), () -> notification(id).get("state").equals("delivered"));
        assertEquals(2, notification(id).get("attempts"));
        List<Map<String, Object>> log = attempts(id);
        assertEquals(2, log.size());
        assertEquals("retry", log.get(0).get("outcome"));
        assertEquals(500, log.get(0).get("http_status"));
        assertEquals("HTTP 500 from http://127.0.0.1:" + receiver.uri("/").getPort() + ": database is restarting",
                log.get(0).get("error"));
        assertEquals("delivered", log.get(1).get("outcome"));
        assertEquals(200, log.get(1).get("http_status"));
        assertTrue(((Number) log.get(1).get("latency_ms")).doubleValue() > 0);

        JsonNode api = get("/api/v1/notifications/" + id, key("viewer")).json();
        assertEquals("delivered", api.get("state").asText());
        assertEquals(2, api.get("attempt_log").size());
        assertEquals("retry", api.get("attempt_log").get(0).get("outcome").asText());
    }

    @Test
    void clientErrorFailsAtOnceWithoutRetrying() {
        receiver.answer(404, "no such hook");
        long id = fire("report");

        await("failure", Duration.ofSeconds(5), () -> notification(id).get("state").equals("failed"));
        pause(Duration.ofMillis(300));
        assertEquals(1, hooksAbout("job report failed").size());
        assertEquals(1, notification(id).get("attempts"));
        assertTrue(notification(id).get("last_error").toString().startsWith("HTTP 404 from http://127.0.0.1:"));
    }

    @Test
    void retryAfterOfTheReceiverIsHonoured() {
        receiver.answer(429, "slow down", Map.of("Retry-After", "1"));
        fire("index");

        List<Receiver.Hit> hits = awaitHooks("job index failed", 2);
        long gapMs = (hits.get(1).receivedNanos() - hits.get(0).receivedNanos()) / 1_000_000;
        assertTrue(gapMs >= 900, "retried after " + gapMs + " ms, before the Retry-After of 1 s");
    }

    @Test
    void theWebhookSecretAppearsNeitherInLogsNorInErrors() {
        try (LogCapture logs = new LogCapture()) {
            receiver.answer(503, "signature mismatch, expected key " + WEBHOOK_SECRET);
            long id = fire("sync");
            awaitHooks("job sync failed", 2);
            await("delivery", Duration.ofSeconds(5), () -> notification(id).get("state").equals("delivered"));

            String error = attempts(id).get(0).get("error").toString();
            assertEquals("HTTP 503 from http://127.0.0.1:" + receiver.uri("/").getPort()
                    + ": signature mismatch, expected key ***", error);
            assertTrue(logs.text().contains("signature mismatch, expected key ***"), logs.text());
            assertFalse(logs.text().contains(WEBHOOK_SECRET));
            assertFalse(get("/api/v1/notifications/" + id, key("viewer")).body().contains(WEBHOOK_SECRET));
        }
    }
}

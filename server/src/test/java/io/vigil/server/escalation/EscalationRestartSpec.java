package io.vigil.server.escalation;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.Receiver;
import io.vigil.server.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Escalation state lives in PostgreSQL: a server that stops before a step is due does not lose it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscalationRestartSpec {

    private static final String AGENT_TOKEN = "agent-token-for-the-escalation-restart-01";

    private final TestPostgres pg = TestPostgres.create();
    private final Receiver receiver = Receiver.start();

    @AfterAll
    void cleanUp() {
        receiver.close();
        pg.close();
    }

    private ApplicationContext server(Path dir) {
        Map<String, Object> p = new HashMap<>(pg.micronautProperties());
        p.put("micronaut.server.port", -1);
        p.put("vigil.agents.bootstrap-token", AGENT_TOKEN);
        p.put("vigil.agents.bootstrap-name", "restart");
        p.put("vigil.alerting.rules-file", dir.resolve("rules.yml").toString());
        p.put("vigil.alerting.routing-file", dir.resolve("routing.yml").toString());
        p.put("vigil.alerting.default-rules", false);
        p.put("vigil.alerting.group-tick", "100ms");
        p.put("vigil.notify.secret-key", AlertingSpec.SECRET_KEY);
        return ApplicationContext.run(EmbeddedServer.class, p).getApplicationContext();
    }

    @Test
    void anEscalationStepDueAfterARestartIsStillNotified() throws Exception {
        Path dir = Files.createTempDirectory("vigil-escalation-restart-");
        Files.writeString(dir.resolve("rules.yml"), """
                rules:
                  - id: boiler
                    event: {type: boiler.failed}
                    severity: critical
                    title: "boiler {{subject}} failed"
                """);
        String secret = AlertingSpec.BOX.encrypt(AlertingSpec.WEBHOOK_SECRET);
        Files.writeString(dir.resolve("routing.yml"), """
                channels:
                  - {name: hook, type: webhook, url: "%s", secret: "%s"}
                  - {name: manager, type: webhook, url: "%s", secret: "%s"}
                route:
                  channels: [hook]
                  escalation: slow
                escalation_policies:
                  - name: slow
                    steps:
                      - {after: 3s, channels: [manager]}
                """.formatted(receiver.uri("/hook"), secret, receiver.uri("/manager"), secret));

        Instant fired;
        try (ApplicationContext first = server(dir)) {
            URI ingest = URI.create(first.getBean(EmbeddedServer.class).getURI() + "/api/v1/ingest");
            fired = Instant.now(); // the event's time: escalation steps count from the alert's first occurrence
            String body = """
                    {"events": [{"id": "%s", "time": "%s", "type": "boiler.failed", "severity": "high", "subject": "b1"}]}"""
                    .formatted(UUID.randomUUID(), fired);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ingest)
                    .header("Authorization", "Bearer " + AGENT_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            receiver.await(h -> h.path().equals("/hook"), 1, Duration.ofSeconds(5));
        } // the server stops before the step is due
        assertTrue(receiver.hits(h -> h.path().equals("/manager")).isEmpty());

        try (ApplicationContext second = server(dir)) {
            Receiver.Hit escalated = receiver.await(h -> h.path().equals("/manager"), 1, Duration.ofSeconds(10)).get(0);
            assertTrue(escalated.text().contains("[ESCALATION L1] [CRITICAL] boiler b1 failed"), escalated.text());
            assertTrue(Duration.between(fired, Instant.now()).toMillis() >= 3000, "escalated before its step was due");
        }
    }
}

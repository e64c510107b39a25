package io.vigil.server.notify;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.alert.AlertingSpec;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two server instances (two application contexts) on one database, as two replicas behind a load
 * balancer: a burst of alerts ingested through both is notified exactly once each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasSpec {

    private static final String AGENT_TOKEN = "agent-token-for-the-two-replicas-spec-01";
    private static final int ALERTS = 300;

    private final TestPostgres pg = TestPostgres.create();
    private final Receiver receiver = Receiver.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    void cleanUp() {
        receiver.close();
        pg.close();
    }

    private ApplicationContext replica(Path dir) {
        Map<String, Object> p = new HashMap<>(pg.micronautProperties());
        p.put("micronaut.server.port", -1);
        p.put("vigil.agents.bootstrap-token", AGENT_TOKEN);
        p.put("vigil.agents.bootstrap-name", "burst");
        p.put("vigil.alerting.rules-file", dir.resolve("rules.yml").toString());
        p.put("vigil.alerting.routing-file", dir.resolve("routing.yml").toString());
        p.put("vigil.alerting.default-rules", false);
        p.put("vigil.notify.secret-key", AlertingSpec.SECRET_KEY);
        p.put("vigil.notify.poll-interval", "1s");
        return ApplicationContext.run(EmbeddedServer.class, p).getApplicationContext();
    }

    private Path configure() throws Exception {
        Path dir = Files.createTempDirectory("vigil-replicas-");
        Files.writeString(dir.resolve("rules.yml"), """
                rules:
                  - id: burst
                    event:
                      type: burst.alert
                    title: "burst {{subject}}"
                """);
        Files.writeString(dir.resolve("routing.yml"), """
                channels:
                  - {name: hook, type: webhook, url: "%s", secret: "%s"}
                route:
                  channels: [hook]
                  group_wait: 0s
                """.formatted(receiver.uri("/hook"), AlertingSpec.BOX.encrypt(AlertingSpec.WEBHOOK_SECRET)));
        return dir;
    }

    @Test
    void aBurstThroughTwoReplicasIsNotifiedExactlyOncePerAlert() throws Exception {
        Path dir = configure();
        try (ApplicationContext a = replica(dir); ApplicationContext b = replica(dir)) {
            List<URI> ingest = List.of(
                    URI.create(a.getBean(EmbeddedServer.class).getURI() + "/api/v1/ingest"),
                    URI.create(b.getBean(EmbeddedServer.class).getURI() + "/api/v1/ingest"));
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < ALERTS; i++) {
                URI target = ingest.get(i % 2);
                String body = """
                        {"events": [{"id": "%s", "time": "%s", "type": "burst.alert", "severity": "critical",
                                     "subject": "s-%d", "fingerprint": "burst:%d"}]}""".formatted(
                        UUID.randomUUID(), Instant.now(), i, i);
                statuses.add(senders.submit(() -> http.send(HttpRequest.newBuilder(target)
                        .header("Authorization", "Bearer " + AGENT_TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()));
            }
            for (Future<Integer> s : statuses) {
                assertEquals(200, s.get());
            }
            senders.shutdown();

            List<Receiver.Hit> hits = receiver.await(h -> h.path().equals("/hook") && h.text().contains("burst s-"), ALERTS,
                    Duration.ofSeconds(30));
            Thread.sleep(1000); // anything sent twice would arrive by now
            hits = receiver.hits(h -> h.path().equals("/hook") && h.text().contains("burst s-"));
            assertEquals(ALERTS, hits.size());
            Set<String> deliveries = new HashSet<>();
            Set<String> subjects = new HashSet<>();
            for (Receiver.Hit h : hits) {
                deliveries.add(h.header("X-Vigil-Delivery"));
                subjects.add(AlertingSpec.JSON.readTree(h.body()).get("alerts").get(0).get("labels").get("subject").asText());
            }
            assertEquals(ALERTS, deliveries.size());
            assertEquals(ALERTS, subjects.size());
            try (Connection c = pg.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FILTER (WHERE state = 'delivered'), count(*) FROM notifications WHERE title LIKE '%burst s-%'")) {
                rs.next();
                assertEquals(ALERTS, rs.getInt(1));
                assertEquals(ALERTS, rs.getInt(2));
            }
        }
    }

    /**
     * A backlog in the outbox (written while no dispatcher ran, or by a replica that stopped) is
     * claimed by the workers of both replicas racing with SKIP LOCKED: each row is sent once.
     */
    @Test
    void aBacklogInTheOutboxIsSentOnceByTwoReplicasRacingForIt() throws Exception {
        Path dir = configure();
        try (ApplicationContext a = replica(dir); ApplicationContext b = replica(dir)) {
            try (Connection c = pg.connect()) {
                c.createStatement().execute("""
                        INSERT INTO notifications (created_at, channel, channel_type, kind, title, payload, state,
                                                   next_attempt_at)
                        SELECT now(), 'hook', 'webhook', 'firing', 'backlog ' || i,
                               jsonb_build_object('kind', 'firing', 'status', 'firing', 'severity', 'high',
                                                  'title', 'backlog ' || i, 'group_key', 'g' || i, 'group_labels', '{}'::jsonb,
                                                  'escalation_level', 0, 'alerts', '[]'::jsonb, 'created_at', now()),
                               'pending', now()
                          FROM generate_series(1, %d) i;
                        NOTIFY vigil_outbox""".formatted(ALERTS));
            }
            receiver.await(h -> h.text().contains("\"backlog "), ALERTS, Duration.ofSeconds(30));
            Thread.sleep(1000);
            List<Receiver.Hit> hits = receiver.hits(h -> h.text().contains("\"backlog "));
            assertEquals(ALERTS, hits.size());
            assertEquals(ALERTS, hits.stream().map(h -> h.header("X-Vigil-Delivery")).distinct().count());
        }
    }
}

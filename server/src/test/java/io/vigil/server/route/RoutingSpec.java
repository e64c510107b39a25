package io.vigil.server.route;

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

/** The routing tree: matchers, continue, group_by with group_wait, repeat_interval. */
@MicronautTest(transactional = false)
class RoutingSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: db
                    event:
                      type: db.*
                    title: "db {{subject}}"
                    labels: {team: db}
                  - id: web
                    event:
                      type: web.*
                    title: "web {{subject}}"
                """;
    }

    @Override
    protected String routing() {
        String secret = BOX.encrypt(WEBHOOK_SECRET);
        return """
                channels:
                  - {name: hook, type: webhook, url: "%s", secret: "%s"}
                  - {name: pager, type: webhook, url: "%s", secret: "%s"}
                  - {name: db-team, type: webhook, url: "%s", secret: "%s"}
                route:
                  channels: [hook]
                  group_wait: 0s
                  group_interval: 300ms
                  repeat_interval: 1h
                  routes:
                    - match: ['severity>=critical']
                      channels: [pager]
                      continue: true
                    - match: ['team="db"']
                      channels: [db-team]
                      group_by: [team]
                      group_wait: 700ms
                    - match: ['type="web.flapping"']
                      repeat_interval: 400ms
                """.formatted(receiver.uri("/hook"), secret, receiver.uri("/pager"), secret, receiver.uri("/db-team"),
                secret);
    }

    private void fire(String type, String severity, String subject) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", type, "severity", severity, "subject", subject,
                "fingerprint", type + ":" + subject)))).status());
    }

    private List<Receiver.Hit> at(String path, String text) {
        return receiver.hits(h -> h.path().equals(path) && h.text().contains(text));
    }

    @Test
    void anAlertNoRouteMatchesGoesToTheRootChannels() {
        fire("web.down", "high", "shop");
        awaitHooks("web shop", 1);
        pause(Duration.ofMillis(300));
        assertTrue(at("/pager", "web shop").isEmpty());
        assertTrue(at("/db-team", "web shop").isEmpty());
    }

    @Test
    void aCriticalAlertPagesAndContinuesToItsTeamRoute() {
        fire("web.down", "critical", "api");
        fire("db.down", "critical", "orders");

        receiver.await(h -> h.path().equals("/pager") && h.text().contains("web api"), 1, Duration.ofSeconds(5));
        receiver.await(h -> h.path().equals("/pager") && h.text().contains("db orders"), 1, Duration.ofSeconds(5));
        receiver.await(h -> h.path().equals("/db-team") && h.text().contains("db orders"), 1, Duration.ofSeconds(5));
        pause(Duration.ofMillis(300));
        assertTrue(hooksAbout("web api").isEmpty(), "a matching route replaces the root's channels");
        assertTrue(at("/db-team", "web api").isEmpty());
    }

    @Test
    void alertsOfOneGroupAreNotifiedTogetherAfterTheGroupWait() {
        fire("db.slow", "high", "replica-1");
        fire("db.slow", "high", "replica-2");
        fire("db.lag", "medium", "replica-3");

        Receiver.Hit hit = receiver.await(h -> h.path().equals("/db-team") && h.text().contains("replica-1"), 1,
                Duration.ofSeconds(5)).get(0);
        JsonNode body = json(hit);
        assertEquals(3, body.get("alerts").size());
        assertEquals("[FIRING:3] [HIGH] team=db", body.get("title").asText());
        assertEquals("db", body.get("group_labels").get("team").asText());
        pause(Duration.ofMillis(400));
        assertEquals(1, at("/db-team", "replica-1").size());
    }

    @Test
    void anUnacknowledgedAlertIsNotifiedAgainEachRepeatIntervalUntilAcknowledged() {
        fire("web.flapping", "high", "cdn");
        List<Receiver.Hit> hits = receiver.await(h -> h.path().equals("/hook") && h.text().contains("web cdn"), 2,
                Duration.ofSeconds(5));
        assertEquals("repeat", json(hits.get(1)).get("kind").asText());
        assertEquals("[HIGH] web cdn (still firing)", json(hits.get(1)).get("title").asText());

        long id = ((Number) alertsOf("web").stream().filter(a -> a.get("title").equals("web cdn")).findFirst()
                .orElseThrow().get("id")).longValue();
        assertEquals(200, postJson("/api/v1/alerts/" + id + "/acknowledge", key("operator"), "{}").status());
        int after = hooksAbout("web cdn").size();
        pause(Duration.ofMillis(1000));
        assertEquals(after, hooksAbout("web cdn").size(), "no repeats once acknowledged");
    }

    @Test
    void aBadRoutingEditIsRefusedWithFileAndLineAndTheChannelsInForceStay() {
        String good = routing();
        try {
            write(routingFile, good + """
                        - match: ['team="web"']
                          channels: [nowhere]
                    """);
            await("the routing problems to be reported", Duration.ofSeconds(5),
                    () -> get("/api/v1/routing", key("viewer")).json().get("problems").size() > 0);
            JsonNode problems = get("/api/v1/routing", key("viewer")).json().get("problems");
            assertEquals(routingFile + ":21 route.routes[3].channels: no channel named \"nowhere\" (defined: hook, pager, "
                    + "db-team)", problems.get(0).asText());

            fire("web.down", "high", "still-routed");
            awaitHooks("web still-routed", 1);
            JsonNode view = get("/api/v1/routing", key("viewer")).json();
            assertEquals(3, view.get("route").get("routes").size());
            assertEquals("webhook", view.get("channels").get(0).get("type").asText());
            assertTrue(!view.toString().contains("enc:v1:"), "no channel settings or secrets are shown");
        } finally {
            write(routingFile, good + "\n");
            await("the good routing file back", Duration.ofSeconds(5),
                    () -> get("/api/v1/routing", key("viewer")).json().get("problems").isEmpty());
        }
    }
}

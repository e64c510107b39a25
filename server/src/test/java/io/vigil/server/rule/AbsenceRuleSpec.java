package io.vigil.server.rule;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AbsenceRuleSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: agent-silent
                    absence:
                      agent: "spec-*"
                      for: 5m
                    severity: high
                  - id: feed-silent
                    absence:
                      metric: feed.price
                      match: ['venue="x"']
                      for: 5m
                    severity: medium
                """;
    }

    @Test
    void agentSilentLongerThanItsForFiresAndResolvesWhenHeardFromAgain() {
        assertEquals(200, ingest(events(eventNow(Map.of()))).status()); // the agent has been heard from
        // time passes: the agent was last heard from 10 minutes ago
        execute("UPDATE agents SET last_seen_at = now() - interval '10 minutes', last_heartbeat_at = NULL "
                + "WHERE name = '" + AGENT_NAME + "'");

        await("the silent agent alert", Duration.ofSeconds(5), () -> !alertsOf("agent-silent").isEmpty());
        Map<String, Object> alert = alertsOf("agent-silent").get(0);
        assertEquals("agent:" + AGENT_NAME, alert.get("fingerprint"));
        assertTrue(alert.get("title").toString().matches("agent spec-agent silent for 10m\\d*s?"), alert.get("title").toString());
        awaitHooks("agent spec-agent silent", 1);

        execute("UPDATE agents SET last_seen_at = now() WHERE name = '" + AGENT_NAME + "'");
        await("the silent agent alert to resolve", Duration.ofSeconds(5),
                () -> alertsOf("agent-silent").get(0).get("state").equals("resolved"));
        assertEquals(1, alertsOf("agent-silent").size());
    }

    @Test
    void seriesWithoutSamplesFiresAndResolvesOnTheNextSample() {
        String tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10)).toString();
        assertEquals(200, ingest(batch(List.of(), List.of(
                metric("feed.price", 100, Map.of("venue", "x"), tenMinutesAgo),
                metric("feed.price", 100, Map.of("venue", "y"), tenMinutesAgo)))).status());

        await("the silent series alert", Duration.ofSeconds(5), () -> !alertsOf("feed-silent").isEmpty());
        assertEquals(1, alertsOf("feed-silent").size(), "venue y is not watched by the rule");
        assertEquals("feed.price{venue=\"x\"}", alertsOf("feed-silent").get(0).get("fingerprint"));

        assertEquals(200, ingest(batch(List.of(), List.of(
                metric("feed.price", 101, Map.of("venue", "x"), Instant.now().toString())))).status());
        await("the silent series alert to resolve", Duration.ofSeconds(5),
                () -> alertsOf("feed-silent").get(0).get("state").equals("resolved"));
    }
}

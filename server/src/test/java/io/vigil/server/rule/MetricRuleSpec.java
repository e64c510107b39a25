package io.vigil.server.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metric rules, with the shipped defaults in force (oracle, vault, liquidation) plus rules of the file. */
@MicronautTest(transactional = false)
class MetricRuleSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: temperature-high
                    metric:
                      name: room.temperature
                      aggregate: last
                      window: 10m
                      op: ">="
                      threshold: 30
                      resolve_threshold: 25
                    severity: medium
                    title: "{{labels.room}} at {{value}} degrees"
                  - id: pressure-sustained
                    metric:
                      name: tank.pressure
                      aggregate: avg
                      window: 10m
                      op: ">"
                      threshold: 5
                      for: 1s
                    severity: high
                """;
    }

    @Override
    protected Map<String, String> alertingProperties() {
        return Map.of("vigil.alerting.default-rules", "true");
    }

    private static Map<String, Object> sample(String name, double value, Map<String, String> labels) {
        return metric(name, value, labels, Instant.now().toString());
    }

    private void send(Map<String, Object>... samples) {
        assertEquals(200, ingest(batch(List.of(), List.of(samples))).status());
    }

    @Test
    void oracleDeviationOfOnePercentFiresOneCriticalAlertPerAsset() {
        send(sample("oracle.deviation_pct", 1.3, Map.of("asset", "BTC")),
                sample("oracle.deviation_pct", 0.2, Map.of("asset", "ETH")));

        JsonNode body = json(awaitHooks("oracle deviation", 1).get(0));
        assertEquals("[CRITICAL] oracle deviation 1.3% for BTC (threshold 1%)", body.get("title").asText());
        List<Map<String, Object>> alerts = alertsOf("oracle-deviation-critical");
        assertEquals(1, alerts.size());
        assertEquals("oracle.deviation_pct{asset=\"BTC\"}", alerts.get(0).get("fingerprint"));
        assertEquals(4, alerts.get(0).get("severity"));
        assertTrue(alerts.get(0).get("labels").toString().contains("\"asset\": \"BTC\""), alerts.get(0).get("labels").toString());
    }

    @Test
    void vaultAnomalyScoreOfSeventyIsCritical() {
        send(sample("vault.anomaly_score", 72, Map.of("vault", "hlp")));

        awaitHooks("vault anomaly score 72", 1);
        Map<String, Object> alert = alertsOf("vault-anomaly-critical").get(0);
        assertEquals(4, alert.get("severity"));
        assertEquals("vault anomaly score 72 {vault=\"hlp\"} (threshold 70)", alert.get("title"));
    }

    @Test
    void liquidationSuspicionScoreOfFiftyIsHigh() {
        send(sample("liquidation.max_score", 40, Map.of("pattern", "cascade")),
                sample("liquidation.max_score", 55, Map.of("pattern", "coordinated")));

        awaitHooks("suspicious liquidations", 1);
        List<Map<String, Object>> alerts = alertsOf("liquidation-suspicious");
        assertEquals(1, alerts.size());
        assertEquals(3, alerts.get(0).get("severity"));
        assertTrue(alerts.get(0).get("fingerprint").toString().contains("coordinated"));
    }

    @Test
    void hysteresisKeepsTheAlertFiringUntilTheValueDropsBelowTheResolveThreshold() {
        Map<String, String> room = Map.of("room", "lab");
        send(sample("room.temperature", 31, room));
        awaitHooks("lab at 31 degrees", 1);

        send(sample("room.temperature", 27, room)); // below 30, above 25: still firing
        pause(Duration.ofMillis(400));
        assertEquals("firing", alertsOf("temperature-high").get(0).get("state"));

        send(sample("room.temperature", 24, room));
        await("the temperature alert to resolve", Duration.ofSeconds(5),
                () -> alertsOf("temperature-high").get(0).get("state").equals("resolved"));
        assertEquals("last over 10m is 24, no longer >= 25", alertsOf("temperature-high").get(0).get("resolution"));
        awaitHooks("\"resolved\"", 1);
        assertEquals(1, alertsOf("temperature-high").size());
    }

    @Test
    void forDurationHoldsTheAlertBackUntilTheConditionLastedThatLong() {
        Instant start = Instant.now();
        send(sample("tank.pressure", 7, Map.of("tank", "t1")));
        pause(Duration.ofMillis(300));
        assertTrue(alertsOf("pressure-sustained").isEmpty(), "fired before its 'for' of 1s");

        await("the pressure alert to fire", Duration.ofSeconds(5), () -> !alertsOf("pressure-sustained").isEmpty());
        assertTrue(Duration.between(start, Instant.now()).toMillis() >= 1000);
        assertEquals("tank.pressure {tank=\"t1\"} avg over 10m is 7 (> 5)", alertsOf("pressure-sustained").get(0).get("title"));
    }
}

package io.vigil.server.metric;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class MetricQuerySpec extends ServerSpec {

    static final String WINDOW = "since=2026-11-27T10:00:00Z&until=2026-11-27T10:02:00Z";

    @BeforeAll
    void storeKnownSamples() {
        clearStoredData();
        List<Map<String, Object>> m = new ArrayList<>();
        Map<String, String> btc = Map.of("asset", "BTC", "source", "pyth");
        // step 10:00 holds 1, 2, 6; step 10:01 holds 10, 20
        m.add(metric("oracle.deviation_pct", 1, btc, "2026-11-27T10:00:00Z"));
        m.add(metric("oracle.deviation_pct", 2, btc, "2026-11-27T10:00:20Z"));
        m.add(metric("oracle.deviation_pct", 6, btc, "2026-11-27T10:00:40Z"));
        m.add(metric("oracle.deviation_pct", 10, btc, "2026-11-27T10:01:00Z"));
        m.add(metric("oracle.deviation_pct", 20, btc, "2026-11-27T10:01:30Z"));
        m.add(metric("oracle.deviation_pct", 99, btc, "2026-11-27T10:02:00Z")); // at until: outside
        m.add(metric("oracle.deviation_pct", 7, Map.of("asset", "ETH", "source", "pyth"), "2026-11-27T10:00:10Z"));
        // vault.tvl = 1000 + 2 per second since 10:00, one sample a minute for 10 minutes
        for (int t = 0; t <= 600; t += 60) {
            m.add(metric("vault.tvl", 1000 + 2.0 * t, Map.of("vault", "hlp"),
                    java.time.Instant.parse("2026-11-27T10:00:00Z").plusSeconds(t).toString()));
        }
        assertEquals(200, ingest(batch(List.of(), m)).status());
    }

    @Test
    void rangeQueryAggregatesEachStepExactly() {
        Map<String, List<Double>> expected = new LinkedHashMap<>();
        expected.put("avg", List.of(3.0, 15.0));
        expected.put("min", List.of(1.0, 10.0));
        expected.put("max", List.of(6.0, 20.0));
        expected.put("sum", List.of(9.0, 30.0));
        expected.put("count", List.of(3.0, 2.0));
        expected.put("last", List.of(6.0, 20.0));
        expected.put("p95", List.of(5.6, 19.5)); // interpolated: 2 + 0.9 * (6 - 2), 10 + 0.95 * (20 - 10)
        expected.forEach((agg, values) -> {
            Response r = get("/api/v1/metrics/query?name=oracle.deviation_pct&label.asset=BTC&step=1m&agg=" + agg
                    + "&" + WINDOW, ADMIN_TOKEN);
            assertEquals(200, r.status(), r.body());
            JsonNode series = r.json().get("series");
            assertEquals(1, series.size(), r.body());
            JsonNode points = series.get(0).get("points");
            assertEquals("2026-11-27T10:00:00Z", points.get(0).get("time").asText(), agg);
            assertEquals("2026-11-27T10:01:00Z", points.get(1).get("time").asText(), agg);
            assertEquals(2, points.size(), agg + ": " + r.body());
            assertEquals(values.get(0), points.get(0).get("value").asDouble(), 1e-9, agg);
            assertEquals(values.get(1), points.get(1).get("value").asDouble(), 1e-9, agg);
        });
    }

    @Test
    void labelMatchersSelectSeriesAndEachSeriesKeepsItsLabels() {
        Response all = get("/api/v1/metrics/series?name=oracle.deviation_pct&label.source=pyth", ADMIN_TOKEN);
        Response eth = get("/api/v1/metrics/series?name=oracle.deviation_pct&label.asset=ETH", ADMIN_TOKEN);

        assertEquals(2, all.json().get("series").size(), all.body());
        assertEquals(1, eth.json().get("series").size(), eth.body());
        assertEquals("ETH", eth.json().get("series").get(0).get("labels").get("asset").asText());
        assertEquals("seconds", eth.json().get("series").get(0).get("unit").asText());
    }

    @Test
    void trendIsTheLeastSquaresSlopeAndForecastsWhenTheThresholdIsReached() {
        Response r = get("/api/v1/metrics/trend?name=vault.tvl&since=2026-11-27T10:00:00Z&until=2026-11-27T10:10:00Z"
                + "&threshold=3000&ahead=1h", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode t = r.json().get("trends").get(0);
        assertEquals(10, t.get("samples").asInt()); // the sample at 10:10 is at until, outside
        assertEquals(2.0, t.get("slope_per_second").asDouble(), 1e-9);
        assertEquals(7200.0, t.get("slope_per_hour").asDouble(), 1e-6);
        assertEquals(1.0, t.get("r2").asDouble(), 1e-9);
        assertEquals(2200.0, t.get("fitted_at_until").asDouble(), 1e-6);
        JsonNode forecast = t.get("forecast");
        assertEquals("will_cross", forecast.get("state").asText());
        assertEquals("2026-11-27T10:16:40Z", forecast.get("crosses_at").asText()); // 1000 + 2 t = 3000 at t = 1000 s
        assertEquals(400.0, forecast.get("seconds_from_until").asDouble(), 1e-6);
        assertEquals("2026-11-27T11:10:00Z", t.get("prediction").get("at").asText());
        assertEquals(9400.0, t.get("prediction").get("value").asDouble(), 1e-6);
    }

    @Test
    void aThresholdTheLineHasAlreadyPassedIsReportedAsBeyond() {
        Response r = get("/api/v1/metrics/trend?name=vault.tvl&since=2026-11-27T10:00:00Z&until=2026-11-27T10:10:00Z"
                + "&threshold=1500", ADMIN_TOKEN);

        JsonNode forecast = r.json().get("trends").get(0).get("forecast");
        assertEquals("beyond", forecast.get("state").asText(), r.body());
        assertTrue(forecast.get("crosses_at").isNull(), r.body());
    }

    @Test
    void tooManyStepsOrAnUnknownAggregationIs400() {
        Response r = get("/api/v1/metrics/query?name=vault.tvl&since=2026-11-01T00:00:00Z&until=2026-11-27T00:00:00Z"
                + "&step=1s", ADMIN_TOKEN);
        Response agg = get("/api/v1/metrics/query?name=vault.tvl&agg=median", ADMIN_TOKEN);

        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("detail").asText().contains("at most 11000 are returned"), r.body());
        assertEquals(400, agg.status(), agg.body());
        assertEquals("invalid query: agg must be one of avg, min, max, sum, count, last, p95, got \"median\"",
                agg.json().get("detail").asText());
    }
}

package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overview, metrics and agents pages in a real browser, at desktop and at phone width. */
@MicronautTest(transactional = false)
class DashboardPagesSpec extends BrowserSpec {

    @Test
    void theOverviewCountsFiringAlertsChartsEventsPerHourAndListsTheNoisiestMonitor() {
        // a day's mix: filesystem-watch is the noisiest monitor, spread over twelve hours
        Instant now = Instant.now();
        List<Map<String, Object>> day = new ArrayList<>();
        String[] severities = {"info", "low", "medium", "info", "high", "info"};
        for (int i = 0; i < 36; i++) {
            day.add(event(Map.of("time", now.minusSeconds(1200L * i + 30).toString(), "monitor", "filesystem-watch",
                    "plugin", "filesystem", "type", "file.modified", "severity", severities[i % severities.length],
                    "title", "/etc/app.conf modified")));
        }
        for (int i = 0; i < 8; i++) {
            day.add(event(Map.of("time", now.minusSeconds(3000L * i + 90).toString(), "monitor", "db-schema",
                    "plugin", "schema", "type", "schema.column.added", "severity", i % 4 == 0 ? "high" : "medium",
                    "title", "column added")));
        }
        assertEquals(200, ingest(batch(day, List.of())).status());
        ingestContainerDeath("payments", "container payments died (exit 137)");
        alertId("container payments died (exit 137)");
        signIn(ADMIN_TOKEN);
        go("overview");

        textAppears(By.cssSelector("#stat-firing [data-severity='critical']"), "1");
        textAppears(By.id("firing-table"), "container payments died (exit 137)");
        textAppears(By.id("monitors-table"), "docker-events");
        String noisiest = rowTexts("monitors-table").get(0);
        assertTrue(noisiest.startsWith("filesystem-watch"), noisiest);
        assertTrue(noisiest.strip().endsWith("36"), noisiest);
        textAppears(By.id("stat-events"), "45");
        browser.await(d -> !d.findElements(By.cssSelector("#events-per-hour-chart rect.bar-critical")).isEmpty());
        assertEquals(24, ((Number) browser.script("return new Set([...document.querySelectorAll("
                + "'#events-per-hour-chart text.tick')].map(t => t.textContent)).size >= 3 ? 24 : 0;")).intValue());
        browser.screenshot("overview");
    }

    @Test
    void theMetricChartDrawsTheSamplesAndTheThresholdOfTheRuleWatchingThem() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double value = 0.2 + 0.5 * Math.abs(Math.sin(i / 5.0));
            samples.add(metric("oracle.deviation_pct", value, Map.of("asset", "BTC", "source", "pyth"),
                    now.minusSeconds(60L * (40 - i)).toString()));
        }
        assertEquals(200, ingest(batch(List.of(), samples)).status());
        signIn(ADMIN_TOKEN);
        go("metrics?name=oracle.deviation_pct&hours=1");

        browser.visible(By.cssSelector("#metric-chart path.line"));
        // read in one script call: the live update redraws the chart every few seconds
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) browser.script("""
                const line = document.querySelector('#metric-chart path.line');
                const threshold = document.querySelector('#metric-chart line.threshold');
                const chart = document.getElementById('metric-chart').getBoundingClientRect();
                return {points: Number(line.dataset.points), segments: line.getAttribute('d').split('L').length,
                        lineWidth: line.getBoundingClientRect().width, threshold: threshold && threshold.dataset.threshold,
                        width: chart.width, height: chart.height};""");
        assertTrue(((Number) drawn.get("points")).intValue() >= 30, drawn.toString());
        assertTrue(((Number) drawn.get("segments")).intValue() >= 30, "the path goes through the points: " + drawn);
        assertTrue(((Number) drawn.get("lineWidth")).doubleValue() > 300, "the line spans the chart: " + drawn);
        assertEquals("1", drawn.get("threshold"), "the rule's threshold is drawn: " + drawn);
        assertTrue(((Number) drawn.get("width")).doubleValue() > 600 && ((Number) drawn.get("height")).doubleValue() > 150,
                drawn.toString());
        textAppears(By.id("metric-legend"), "oracle-deviation-critical >= 1");
        textAppears(By.id("metric-rules-table"), "oracle-deviation-critical");
        browser.screenshot("metrics");
    }

    @Test
    void theAgentsPageShowsEachAgentsVersionPluginsHeartbeatAndSpool() {
        Response hb = postJson("/api/v1/heartbeat", AGENT_TOKEN, """
                {"agent": "spec-agent", "host": "web-1.example", "version": "1.4.0", "spi": "1.0",
                 "plugins": {"docker": "1.2.0", "filesystem": "1.0.3"}, "monitors": 3,
                 "spool_items": 17, "spool_bytes": 20480}""");
        assertEquals(204, hb.status(), hb.body());
        String quietToken = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"db-2\"}").json().get("token").asText();
        assertEquals(204, postJson("/api/v1/heartbeat", quietToken, """
                {"agent": "db-2", "host": "db-2.example", "version": "1.3.2", "plugins": {"schema": "1.1.0"},
                 "monitors": 1, "spool_items": 0, "spool_bytes": 0}""").status());
        execute("UPDATE agents SET last_heartbeat_at = now() - interval '7 minutes' WHERE name = 'db-2'");
        signIn(ADMIN_TOKEN);
        go("agents");

        textAppears(By.cssSelector("#agents-table tr[data-agent='db-2']"), "SILENT");
        textAppears(By.cssSelector("#agents-table tr[data-agent='db-2']"), "7 min ago");

        String text = textAppears(By.cssSelector("#agents-table tr[data-agent='" + AGENT_NAME + "']"), "1.4.0");
        for (String expected : List.of("web-1.example", "UP", "docker 1.2.0", "filesystem 1.0.3", "17 items", "20.0 KiB",
                "3 monitors")) {
            assertTrue(text.contains(expected), expected + " in " + text);
        }
        assertTrue(text.contains("just now") || text.contains(" s ago"), "a fresh heartbeat: " + text);
        browser.screenshot("agents");
    }

    @Test
    void atPhoneWidthNoPageScrollsSideways() {
        ingestContainerDeath("phone-check", "container phone-check died with a long title that must wrap on a phone");
        long id = alertId("container phone-check died with a long title that must wrap on a phone");
        signIn(ADMIN_TOKEN);
        browser.resize(375, 812);
        try {
            for (String route : List.of("overview", "alerts", "alerts/" + id, "silences", "events", "metrics", "agents",
                    "health")) {
                go(route);
                browser.await(d -> d.findElements(By.cssSelector("#main table, #main .empty, #main svg")).size() > 0);
                assertFalse(scrollsSideways(), route + " scrolls sideways at 375 px: "
                        + browser.script("return document.documentElement.scrollWidth;"));
                if (route.equals("overview")) {
                    browser.screenshot("overview-phone");
                }
            }
        } finally {
            browser.resize(1280, 900);
        }
    }
}

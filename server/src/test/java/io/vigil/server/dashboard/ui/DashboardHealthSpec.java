package io.vigil.server.dashboard.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The health page in a real browser: a degraded agent heartbeat shows as a degraded component with
 * its reason and availability, an agent's error batch as an open group with its count, an operator
 * resolves a group with a note and the resolution is stored, a viewer cannot resolve.
 */
@MicronautTest(transactional = false)
class DashboardHealthSpec extends BrowserSpec {

    static final String COMPONENT = "agent/" + AGENT_NAME;

    /** A heartbeat of the spec agent with the health fields io.vigil.agent.ship.Heartbeat sends. */
    private void heartbeat(String status, String reason) {
        Response r = postJson("/api/v1/heartbeat", AGENT_TOKEN, """
                {"agent":"%s","host":"web-1.example","version":"1.5.0","spi":"1.0","session_id":"s-42",
                 "plugins":{"filesystem":"1.0.3"},"monitors":3,"spool_items":0,"spool_bytes":0,
                 "heartbeat_interval_ms":15000,"status":"%s","reason":"%s",
                 "cpu":0.05,"memory_bytes":73400320,"error_count":4,"latency_ms":12.5}"""
                .formatted(AGENT_NAME, status, reason));
        assertEquals(204, r.status(), r.body());
    }

    /** Posts, as the spec agent, one error report of {@code component} seen {@code count} times; its group id. */
    private long reportError(String component, String exceptionType, String message, long count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("component", component);
        report.put("severity", "error");
        report.put("message", message);
        report.put("exception_type", exceptionType);
        report.put("stack", exceptionType + ": " + message + "\n\tat io.vigil.plugin.Example.poll(Example.java:42)\n");
        report.put("first_seen", now.minusSeconds(600).toString());
        report.put("last_seen", now.toString());
        report.put("count", count);
        Response r;
        try {
            r = postJson("/api/v1/errors", AGENT_TOKEN, JSON.writeValueAsString(Map.of("reports", List.of(report))));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertEquals(200, r.status(), r.body());
        return ((Number) queryOne("SELECT id FROM error_groups WHERE source = ? AND component = ?", AGENT_NAME, component)
                .get("id")).longValue();
    }

    private By componentRow(String component) {
        return By.cssSelector("#components-table tr[data-component='" + component + "']");
    }

    private By errorRow(long id) {
        return By.cssSelector("#errors-table tr[data-error-id='" + id + "']");
    }

    @Test
    void aDegradedHeartbeatShowsAsADegradedComponentWithItsReasonAndAvailability() {
        heartbeat("healthy", "");
        signIn(apiKey("health-watcher", "viewer"));
        go("health");
        textAppears(componentRow(COMPONENT), "HEALTHY");
        browser.script("window.vigilSpecMark = 'still the same page';");

        heartbeat("degraded", "monitor disk failed 3 times since the last heartbeat");

        String row = textAppears(componentRow(COMPONENT), "DEGRADED");
        assertTrue(row.contains("monitor disk failed 3 times since the last heartbeat"), row);
        assertTrue(row.contains("agent " + AGENT_NAME), row);
        // degraded is still up: the agent was up for (nearly, to the millisecond) every counted second of the day
        String day = browser.driver.findElement(By.cssSelector(
                "#components-table tr[data-component='" + COMPONENT + "'] td[data-window='24h']")).getText();
        assertTrue(day.equals("100.00 %") || day.equals(">99.99 %"), day);
        assertEquals("degraded", statusOf(COMPONENT));
        assertEquals("still the same page", browser.script("return window.vigilSpecMark;"), "updated without a reload");
    }

    private String statusOf(String component) {
        for (JsonNode c : get("/api/v1/components", ADMIN_TOKEN).json().get("components")) {
            if (c.get("component").asText().equals(component)) {
                return c.get("status").asText();
            }
        }
        return null;
    }

    @Test
    void anAgentsErrorBatchShowsAsAnOpenGroupWithItsOccurrencesAndItsMessageAsText() {
        heartbeat("degraded", "ship attempt failed: connection refused");
        signIn(ADMIN_TOKEN);
        go("health");
        browser.visible(By.id("component-results"));

        long id = reportError("monitor:disk", "java.io.UncheckedIOException",
                "disk <img src=x id=injected> /dev/sda1 unreadable", 1234);

        String row = textAppears(errorRow(id), "1,234");
        assertTrue(row.contains("disk <img src=x id=injected> /dev/sda1 unreadable"), "the message stays text: " + row);
        assertTrue(row.contains("monitor:disk") && row.contains(AGENT_NAME), row);
        assertTrue(row.contains("OPEN"), row);
        assertTrue(browser.driver.findElements(By.id("injected")).isEmpty(), "no element made from the message");
        textAppears(componentRow(COMPONENT), "ship attempt failed: connection refused");
        browser.screenshot("health");
    }

    @Test
    void anOperatorResolvesAnErrorGroupWithANoteAndTheResolutionIsStored() {
        long id = reportError("monitor:oracle", "java.net.SocketTimeoutException", "price feed timed out", 17);
        signIn(apiKey("night-operator", "operator"));
        go("health");
        textAppears(errorRow(id), "price feed timed out");

        clickWhenText(By.cssSelector("#errors-table tr[data-error-id='" + id + "'] button"), "Resolve");
        browser.visible(By.id("resolve-note")).sendKeys("feed provider fixed their load balancer");
        browser.clickable(By.id("resolve-confirm")).click();

        String row = textAppears(errorRow(id), "RESOLVED");
        assertTrue(row.contains("key:night-operator") && row.contains("feed provider fixed their load balancer"), row);
        Map<String, Object> stored = queryOne("SELECT status, resolved_by, resolution_note FROM error_groups WHERE id = ?", id);
        assertEquals(Map.of("status", "resolved", "resolved_by", "key:night-operator",
                "resolution_note", "feed provider fixed their load balancer"), stored);
        JsonNode group = get("/api/v1/errors/" + id, ADMIN_TOKEN).json().get("group");
        assertEquals("resolved", group.get("status").asText());
        assertEquals("key:night-operator", group.get("resolved_by").asText());
        assertEquals("feed provider fixed their load balancer", group.get("resolution_note").asText());
        // the next live updates keep showing the row as resolved, with no Resolve button
        String tick = browser.driver.findElement(By.id("updated")).getText();
        browser.await(d -> !d.findElement(By.id("updated")).getText().equals(tick));
        String after = textAppears(errorRow(id), "RESOLVED");
        assertTrue(browser.driver.findElements(By.cssSelector("[data-resolve='" + id + "']")).isEmpty(), after);
    }

    @Test
    void aViewerSeesTheOpenErrorsButNoEnabledResolveButton() {
        long id = reportError("monitor:schema", "java.sql.SQLTransientConnectionException", "schema poll lost its connection", 3);
        signIn(apiKey("read-only-dana", "viewer"));
        go("health");
        textAppears(errorRow(id), "schema poll lost its connection");
        textAppears(By.id("errors-read-only"), "role viewer");

        List<WebElement> enabled = browser.driver.findElements(By.cssSelector("#main button")).stream()
                .filter(b -> b.isDisplayed() && b.isEnabled()).toList();
        assertTrue(enabled.isEmpty(), "a viewer gets no enabled button on the health page: " + enabled.size());
        assertTrue(browser.driver.findElements(By.id("resolve-confirm")).isEmpty());
        assertEquals("open", queryOne("SELECT status FROM error_groups WHERE id = ?", id).get("status"));
    }
}

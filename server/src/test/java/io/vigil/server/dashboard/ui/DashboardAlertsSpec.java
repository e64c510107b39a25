package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerts pages in a real browser: an alert raised by an ingested event appears live, an
 * operator acknowledges it and the change is stored, a viewer cannot act, silences are listed and
 * created.
 */
@MicronautTest(transactional = false)
class DashboardAlertsSpec extends BrowserSpec {

    @Test
    void anAlertRaisedByAnIngestedEventAppearsOnTheOpenPageWithoutReload() {
        signIn(apiKey("live-watcher", "viewer"));
        go("alerts");
        browser.visible(By.id("alert-results"));
        // a mark on the window: a reload would wipe it
        browser.script("window.vigilSpecMark = 'still the same page';");

        ingestContainerDeath("billing-db", "container billing-db died (exit 137)");

        String row = textAppears(By.cssSelector("#alerts-table tbody tr"), "container billing-db died (exit 137)");
        assertTrue(row.toLowerCase().contains("firing"), row);
        assertTrue(row.contains("docker-container-died"), row);
        assertEquals("still the same page", browser.script("return window.vigilSpecMark;"));
        browser.visible(By.id("nav-firing"));
        browser.screenshot("alerts");
    }

    @Test
    void anOperatorAcknowledgesAnAlertWithACommentAndTheChangeIsStored() {
        ingestContainerDeath("ledger", "container ledger died (exit 137)");
        long id = alertId("container ledger died (exit 137)");
        signIn(apiKey("night-operator", "operator"));
        go("alerts/" + id);
        textAppears(By.id("alert-title"), "container ledger died (exit 137)");
        textAppears(By.id("alert-events"), "container ledger died (exit 137)");

        browser.visible(By.id("alert-comment")).sendKeys("restarting the ledger, disk was full");
        browser.clickable(By.id("ack-button")).click();

        textAppears(By.id("alert-state"), "ACKNOWLEDGED");
        textAppears(By.id("alert-activity"), "restarting the ledger, disk was full");
        assertFalse(browser.driver.findElement(By.id("ack-button")).isEnabled(), "acknowledged once, the button is off");
        Map<String, Object> stored = queryOne("SELECT state, acknowledged_by FROM alerts WHERE id = ?", id);
        assertEquals("acknowledged", stored.get("state"));
        assertEquals("key:night-operator", stored.get("acknowledged_by"));
        assertEquals("acknowledged", get("/api/v1/alerts/" + id, ADMIN_TOKEN).json().get("alert").get("state").asText());
        browser.screenshot("alert-detail");

        // and after a reload the page still shows it: the state came from the server
        browser.driver.navigate().refresh();
        textAppears(By.id("alert-state"), "ACKNOWLEDGED");
    }

    @Test
    void aViewerSeesTheAlertButNoEnabledActionButton() {
        ingestContainerDeath("search", "container search died (exit 137)");
        long id = alertId("container search died (exit 137)");
        signIn(apiKey("read-only-dana", "viewer"));
        go("alerts/" + id);
        textAppears(By.id("alert-title"), "container search died (exit 137)");
        textAppears(By.id("read-only-notice"), "role viewer");

        assertTrue(browser.driver.findElements(By.cssSelector("#main button")).stream().noneMatch(WebElement::isEnabled),
                "a viewer gets no enabled button on an alert");
        assertTrue(browser.driver.findElements(By.id("ack-button")).isEmpty());
        assertEquals("firing", queryOne("SELECT state FROM alerts WHERE id = ?", id).get("state"));
    }

    @Test
    void anOperatorCreatesASilenceAndSeesItListed() {
        signIn(apiKey("maintenance-operator", "operator"));
        go("silences");
        browser.visible(By.id("silence-matchers")).sendKeys("host=web-1\nrule=docker-container-died");
        new Select(browser.driver.findElement(By.id("silence-duration"))).selectByValue("4h");
        browser.driver.findElement(By.id("silence-comment")).sendKeys("kernel upgrade on web-1");
        browser.clickable(By.id("silence-create")).click();

        String row = textAppears(By.cssSelector("#silences-table tbody tr"), "kernel upgrade on web-1");
        assertTrue(row.contains("host=\"web-1\"") || row.contains("host=web-1"), row);
        assertEquals(1L, count("SELECT count(*) FROM silences WHERE comment = 'kernel upgrade on web-1' "
                + "AND created_by = 'key:maintenance-operator'"));
        browser.screenshot("silences");
    }
}

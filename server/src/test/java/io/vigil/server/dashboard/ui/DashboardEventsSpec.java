package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events pages in a real browser: filters, keyset paging, an event's attributes, escaping. */
@MicronautTest(transactional = false)
class DashboardEventsSpec extends BrowserSpec {

    /** 30 heartbeats, 3 critical disk events and one with markup in its title, once per class. */
    private boolean seeded;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seeded = true;
        Instant now = Instant.now();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(event(Map.of("time", now.minusSeconds(600 + i * 10L).toString(), "title", "heartbeat " + i)));
        }
        for (int i = 0; i < 3; i++) {
            batch.add(event(Map.of("time", now.minusSeconds(60 + i).toString(), "plugin", "filesystem",
                    "type", "file.disk_full", "severity", "critical", "host", "db-" + i, "subject", "/var/lib/postgresql",
                    "title", "disk full on db-" + i,
                    "attributes", Map.of("mount", "/var/lib/postgresql", "used_pct", 99.5,
                            "largest", Map.of("path", "/var/lib/postgresql/16/main/base", "files", List.of("a.dat", "b.dat"))))));
        }
        batch.add(event(Map.of("time", now.minusSeconds(30).toString(), "type", "schema.table.altered",
                "severity", "medium", "title", "<img src=x id=injected> table users altered",
                "attributes", Map.of("<b>column</b>", "<script>window.vigilOwned=1</script>"))));
        Response r = ingest(batch(batch, List.of()));
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void filteringBySeverityAndTextShowsOnlyTheMatchingEvents() {
        signIn(ADMIN_TOKEN);
        go("events");
        textAppears(By.id("event-page"), "25 events");

        new Select(browser.driver.findElement(By.id("event-severity"))).selectByValue("critical");
        browser.clickable(By.id("event-apply")).click();
        browser.await(d -> rowTexts("events-table").size() == 3);
        assertTrue(rowTexts("events-table").stream().allMatch(r -> r.contains("disk full on db-")));

        browser.driver.findElement(By.id("event-q")).sendKeys("db-1");
        browser.clickable(By.id("event-apply")).click();
        browser.await(d -> rowTexts("events-table").size() == 1);
        assertTrue(rowTexts("events-table").get(0).contains("disk full on db-1"));
    }

    @Test
    void nextPageContinuesAfterTheLastEventWithoutRepeats() {
        signIn(ADMIN_TOKEN);
        go("events");
        textAppears(By.id("event-page"), "Page 1 · 25 events");
        Set<String> first = ids();
        assertEquals(25, first.size());
        browser.screenshot("events");

        browser.clickable(By.id("event-next")).click();
        textAppears(By.id("event-page"), "Page 2 · 9 events");
        Set<String> second = ids();
        assertEquals(9, second.size());
        Set<String> both = new HashSet<>(first);
        both.addAll(second);
        assertEquals(34, both.size(), "the two pages are disjoint and together hold every event");
        assertFalse(browser.driver.findElement(By.id("event-next")).isEnabled(), "no page after the last");

        browser.clickable(By.id("event-first")).click();
        textAppears(By.id("event-page"), "Page 1 · 25 events");
    }

    @Test
    void anEventsDetailShowsItsAttributesNestedMembersIncluded() {
        signIn(ADMIN_TOKEN);
        go("events?q=db-2");
        clickWhenText(By.cssSelector("#events-table tbody a"), "disk full on db-2");
        textAppears(By.id("event-title"), "disk full on db-2");

        assertEquals("/var/lib/postgresql", attribute("mount"));
        assertEquals("99.5", attribute("used_pct"));
        assertEquals("/var/lib/postgresql/16/main/base", attribute("largest.path"));
        assertEquals("b.dat", attribute("largest.files[1]"));
        browser.screenshot("event-detail");
    }

    @Test
    void markupInATitleOrAttributeIsShownAsTextAndNeverRuns() {
        signIn(ADMIN_TOKEN);
        go("events?type=schema.table.altered");
        textAppears(By.cssSelector("#events-table tbody a"), "<img src=x id=injected> table users altered");
        assertTrue(browser.driver.findElements(By.id("injected")).isEmpty(), "the title's markup made no element");
        clickWhenText(By.cssSelector("#events-table tbody a"), "<img src=x id=injected> table users altered");
        textAppears(By.id("attributes-table"), "<script>window.vigilOwned=1</script>");
        assertTrue(browser.driver.findElements(By.cssSelector("#attributes-table b, #attributes-table script")).isEmpty());
        assertEquals(null, browser.script("return window.vigilOwned === undefined ? null : window.vigilOwned;"));
    }

    private Set<String> ids() {
        return new HashSet<>(rowAttributes("events-table", "data-event-id"));
    }

    private String attribute(String path) {
        return browser.visible(By.cssSelector("#attributes-table tr[data-path='" + path + "'] td")).getText().strip()
                .replaceFirst("\\s+(number|boolean)$", "");
    }
}

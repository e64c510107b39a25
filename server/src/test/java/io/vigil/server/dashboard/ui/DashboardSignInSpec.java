package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing in and out of the dashboard, and what a refused token does. */
@MicronautTest(transactional = false)
class DashboardSignInSpec extends BrowserSpec {

    @Test
    void signingInWithTheAdminTokenShowsTheOverviewAndTheRole() {
        signIn(ADMIN_TOKEN);
        browser.visible(By.id("stat-firing"));
        assertEquals("admin", browser.visible(By.id("who-role")).getText().toLowerCase());
        assertEquals(ADMIN_TOKEN, browser.script("return sessionStorage.getItem('vigil.token');"));
        assertTrue(browser.driver.getCurrentUrl().endsWith("#/overview"));
    }

    @Test
    void aRefusedTokenKeepsTheLoginPageAndSaysWhy() {
        signedOut();
        browser.visible(By.id("token")).sendKeys("not-a-token-anyone-issued");
        browser.screenshot("login");
        browser.clickable(By.id("sign-in")).click();

        textAppears(By.id("login-error"), "refused");
        assertEquals(null, browser.script("return sessionStorage.getItem('vigil.token');"));
        assertFalse(browser.driver.findElement(By.id("topbar")).isDisplayed());
    }

    @Test
    void loggingOutForgetsTheTokenAndShowsTheLoginPage() {
        signIn(ADMIN_TOKEN);
        browser.clickable(By.id("logout")).click();

        browser.visible(By.id("token"));
        assertEquals(null, browser.script("return sessionStorage.getItem('vigil.token');"));
    }

    @Test
    void aKeyRevokedWhileSignedInReturnsToTheLoginPageAtTheNextUpdate() {
        Response created = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\":\"soon-revoked\",\"role\":\"viewer\"}");
        signIn(created.json().get("token").asText());
        browser.visible(By.id("stat-firing"));

        assertEquals(204, send(request("/api/v1/api-keys/" + created.json().get("id").asLong(), ADMIN_TOKEN).DELETE()).status());

        textAppears(By.id("login-error"), "sign in again");
        assertEquals(null, browser.script("return sessionStorage.getItem('vigil.token');"));
    }

    @Test
    void everyControlIsReachableByKeyboardWithAVisibleFocus() {
        signIn(ADMIN_TOKEN);
        go("events");
        browser.visible(By.id("event-q"));
        // Tab through the page: the nav, the sign-out and the filters get focus, with a visible outline
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            @SuppressWarnings("unchecked")
            List<String> focused = (List<String>) browser.script("const e = document.activeElement;"
                    + " return [e.id, getComputedStyle(e).outlineStyle];");
            reached.add(focused.get(0));
            if (focused.get(0).equals("event-apply")) {
                assertNotEquals("none", focused.get(1), "focus is visible");
            }
        }
        assertTrue(reached.containsAll(List.of("event-q", "event-severity", "event-apply", "logout")), reached.toString());
    }
}

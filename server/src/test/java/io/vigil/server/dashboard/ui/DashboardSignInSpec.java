package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}

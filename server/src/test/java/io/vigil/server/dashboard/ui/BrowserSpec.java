package io.vigil.server.dashboard.ui;

import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

/**
 * A server specification that also drives the dashboard in one headless Chromium shared by the
 * class's tests ({@link Browser}). Each test starts from a signed-out tab.
 */
abstract class BrowserSpec extends ServerSpec {

    protected Browser browser;

    /** On a failure: the page's console and a screenshot, in the test output. */
    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                System.out.println("browser console of " + context.getDisplayName() + ":\n" + browser.console());
                browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
            }
        }
    };

    @BeforeAll
    void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** The dashboard's address of a page: {@code page("alerts/3")}. */
    protected String page(String route) {
        return server.getURI() + "/ui/#/" + route;
    }

    /** Opens the login page with a clean session and signs in with {@code token}. */
    protected void signIn(String token) {
        browser.open(server.getURI() + "/ui/#/login");
        browser.script("sessionStorage.clear();");
        browser.open(server.getURI() + "/ui/#/login");
        WebElement input = browser.visible(By.id("token"));
        input.sendKeys(token);
        browser.clickable(By.id("sign-in")).click();
        browser.visible(By.id("topbar"));
    }

    /** Navigates inside the signed-in page (no reload) and waits for the page to be mounted. */
    protected void go(String route) {
        browser.script("location.hash = arguments[0];", "#/" + route);
        String name = route.contains("/") ? route.substring(0, route.indexOf('/')) + "-detail" : route.split("\\?")[0];
        browser.await(d -> name.equals(d.findElement(By.id("main")).getAttribute("data-page")));
    }

    /** A new API key with {@code role}; its token. */
    protected String apiKey(String name, String role) {
        Response r = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("creating API key: " + r.status() + " " + r.body());
        }
        return r.json().get("token").asText();
    }

    protected List<WebElement> rows(String tableId) {
        return browser.driver.findElements(By.cssSelector("#" + tableId + " tbody tr"));
    }

    /** Whether the page is wider than the window (a horizontal scroll bar). */
    protected boolean scrollsSideways() {
        return (Boolean) browser.script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }
}

package io.vigil.server.dashboard.ui;

import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        signedOut();
        WebElement input = browser.visible(By.id("token"));
        input.clear();
        input.sendKeys(token);
        browser.clickable(By.id("sign-in")).click();
        browser.visible(By.id("topbar"));
    }

    /** A freshly loaded login page with nothing in the tab's session storage. */
    protected void signedOut() {
        browser.open(page("login"));
        browser.script("sessionStorage.clear();");
        browser.driver.navigate().refresh();
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

    /**
     * Ingests, as the spec agent, a critical unplanned container death, which the default rule
     * docker-container-died turns into an alert titled {@code title}.
     */
    protected void ingestContainerDeath(String container, String title) {
        Response r = ingest(events(event(Map.of("time", Instant.now().toString(), "plugin", "docker",
                "monitor", "docker-events", "host", "web-1", "type", "docker.container.died", "severity", "critical",
                "subject", container, "title", title, "fingerprint", "docker:web-1:" + container + ":state",
                "attributes", Map.of("planned", false, "exit_code", 137, "image", "postgres:16",
                        "container", Map.of("name", container, "labels", Map.of("app", "billing")))))));
        if (r.status() != 200) {
            throw new AssertionError("ingest: " + r.status() + " " + r.body());
        }
    }

    /** The id of the open alert titled {@code title}, once the alerting core has raised it. */
    protected long alertId(String title) {
        long deadline = System.nanoTime() + Browser.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = query("SELECT id FROM alerts WHERE title = ? AND state <> 'resolved'", title);
            if (!rows.isEmpty()) {
                return ((Number) rows.get(0).get("id")).longValue();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no open alert titled " + title + " within " + Browser.WAIT);
    }

    /** Waits until an element found by {@code by} has a text containing {@code text}; returns that text. */
    protected String textAppears(By by, String text) {
        return browser.await(d -> {
            try {
                return d.findElements(by).stream().map(WebElement::getText).filter(t -> t.contains(text))
                        .findFirst().orElse(null);
            } catch (StaleElementReferenceException e) {
                return null; // re-rendered by a live update between finding and reading it
            }
        });
    }

    /** Waits for an element found by {@code by} whose text contains {@code text}, and clicks it. */
    protected void clickWhenText(By by, String text) {
        browser.await(d -> {
            try {
                for (WebElement e : d.findElements(by)) {
                    if (e.getText().contains(text)) {
                        e.click();
                        return true;
                    }
                }
                return false;
            } catch (StaleElementReferenceException e) {
                return false; // re-rendered by a live update: find it again
            }
        });
    }

    /**
     * The text of each body row of a table, read in one script call: the page re-renders tables
     * on its live updates, so element handles found one call earlier may be gone.
     */
    @SuppressWarnings("unchecked")
    protected List<String> rowTexts(String tableId) {
        return (List<String>) browser.script("return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
                + ".map(r => r.innerText);", tableId);
    }

    /** An attribute of each body row of a table, read in one script call (see {@link #rowTexts}). */
    @SuppressWarnings("unchecked")
    protected List<String> rowAttributes(String tableId, String attribute) {
        return (List<String>) browser.script("return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
                + ".map(r => r.getAttribute(arguments[1]));", tableId, attribute);
    }

    /** Whether the page is wider than the window (a horizontal scroll bar). */
    protected boolean scrollsSideways() {
        return (Boolean) browser.script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }
}

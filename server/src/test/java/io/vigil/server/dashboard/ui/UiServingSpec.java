package io.vigil.server.dashboard.ui;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the server hands out the dashboard's files: where, with which headers, and what it refuses. */
@MicronautTest(transactional = false)
class UiServingSpec extends ServerSpec {

    private static final Path UI = Path.of("src", "main", "resources", "ui");

    @Test
    void theRootAndUiWithoutSlashRedirectToTheDashboard() {
        Response root = get("/", null);
        assertEquals(303, root.status());
        assertEquals("/ui/", root.header("location"));
        assertEquals("/ui/", get("/ui", null).header("location"));
    }

    @Test
    void thePageIsServedWithoutTokenUnderAStrictContentSecurityPolicy() {
        Response page = get("/ui/", null);

        assertEquals(200, page.status());
        assertTrue(page.header("content-type").startsWith("text/html"), page.header("content-type"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"js/app.js\"></script>"), page.body());
        String csp = page.header("content-security-policy");
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", page.header("x-content-type-options"));
    }

    @Test
    void scriptsAreServedAsJavaScriptModulesWithTheSamePolicy() {
        Response js = get("/ui/js/app.js", null);

        assertEquals(200, js.status());
        assertTrue(js.header("content-type").startsWith("text/javascript"), js.header("content-type"));
        assertTrue(js.header("content-security-policy").contains("default-src 'none'"));
        assertEquals("no-cache", js.header("cache-control"));
    }

    @Test
    void pathsOutsideTheDashboardAndUnknownFilesAre404() {
        for (String path : List.of("/ui/..%2Fapplication.yml", "/ui/js/..%2F..%2Fapplication.yml", "/ui/%2e%2e/application.yml",
                "/ui/nothing-here.js", "/ui/.hidden")) {
            Response r = get(path, null);
            assertEquals(404, r.status(), path + ": " + r.body());
            assertFalse(r.body().contains("vigil:"), path + " leaked a file: " + r.body());
        }
    }

    @Test
    void theDashboardsFilesHaveNoInlineCodeAndNeverWriteMarkupFromStrings() throws IOException {
        try (Stream<Path> files = Files.walk(UI)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                // the SVG namespace is a name, not an address; anything else with :// would be a CDN or a leak
                String text = Files.readString(f).replace("http://www.w3.org/2000/svg", "");
                String name = UI.relativize(f).toString();
                for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                        "new Function", "style=\"", "onclick=\"", "<script>", "://")) {
                    assertFalse(text.contains(forbidden), name + " contains " + forbidden);
                }
            }
        }
    }
}

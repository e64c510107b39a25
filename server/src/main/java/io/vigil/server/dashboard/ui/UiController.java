package io.vigil.server.dashboard.ui;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vigil.server.error.ApiError;

import java.net.URI;
import java.net.URL;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Serves the web dashboard: the static files under {@code ui/} in the server jar at {@code /ui/},
 * and {@code /} redirects there. The files are public (they hold no data); the page asks for a
 * token and calls the {@code /api} with it, where every role is checked.
 *
 * <p>Every answer carries a strict Content-Security-Policy (scripts, styles and connections to this
 * origin only, no inline code, no framing): event titles and attributes shown by the page come
 * from monitored hosts and are attacker-controlled, and the page writes them only as text; the
 * policy is the second line of defence.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class UiController {

    /** The policy: nothing but this origin's files; no inline script or style, no frames, no plugins. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** File names under ui/: path segments of letters, digits, '-', '_' and '.', never "..". */
    private static final Pattern SAFE_PATH = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    private final ResourceResolver resources;

    UiController(ResourceResolver resources) {
        this.resources = resources;
    }

    @Get("/")
    HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/ui/"));
    }

    /** Browsers ask for it whatever the page declares; the page's icon is an SVG. */
    @Get("/favicon.ico")
    HttpResponse<?> favicon() {
        return HttpResponse.seeOther(URI.create("/ui/favicon.svg"));
    }

    /**
     * The page. The router sends both {@code /ui} and {@code /ui/} here; {@code /ui} is redirected
     * to {@code /ui/}, against which the page's relative links resolve.
     */
    @Get("/ui")
    HttpResponse<?> page(HttpRequest<?> request) {
        return request.getPath().endsWith("/") ? file("index.html") : HttpResponse.seeOther(URI.create("/ui/"));
    }

    /** A file under ui/. */
    @Get("/ui/{+path}")
    HttpResponse<?> file(@PathVariable String path) {
        Optional<URL> url = SAFE_PATH.matcher(path).matches() && !path.contains("..")
                ? resources.getResource("classpath:ui/" + path) : Optional.empty();
        if (url.isEmpty()) {
            return secured(HttpResponse.notFound(ApiError.of("no dashboard file " + path.replaceAll("[^ -~]", "?"))));
        }
        StreamedFile body = new StreamedFile(url.get());
        MediaType type = MediaType.forFilename(path);
        return secured(HttpResponse.ok(body).contentType(type.getName().equals("application/javascript")
                ? MediaType.of("text/javascript;charset=utf-8") : type)
                // the files change with the server version; a browser revalidates, never runs a stale mix
                .header("Cache-Control", "no-cache"));
    }

    private static <T> MutableHttpResponse<T> secured(MutableHttpResponse<T> response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY");
    }
}

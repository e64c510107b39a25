package io.vigil.plugin.endpoint;

import static io.vigil.plugin.endpoint.MonitorRun.summary;
import static io.vigil.plugin.endpoint.TestCertificates.ca;
import static io.vigil.plugin.endpoint.TestCertificates.server;
import static io.vigil.plugin.endpoint.TestCertificates.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.api.Event;
import io.vigil.testkit.TestMonitorContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The http monitor against the JDK's HTTP and HTTPS servers on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpEndpointTest {

    private static TestCertificates.Issued ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = ca("Vigil Test CA");
    }

    /** A plain HTTP server on loopback answering every path with {@code handler}. */
    private static HttpServer http(HttpHandler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", handler);
        s.start();
        return s;
    }

    private static HttpsServer https(SSLContext tls, HttpHandler handler) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.createContext("/", handler);
        s.start();
        return s;
    }

    private static HttpHandler respond(int status, String body) {
        return ex -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (!ex.getRequestMethod().equals("HEAD")) {
                    out.write(bytes);
                }
            }
        };
    }

    private MonitorRun monitor(String url, Object... options) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("url", url, "timeout", "2s",
                "trust_store", TestCertificates.pem(dir.resolve("ca.pem"), ca.cert()).toString()));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(new HttpMonitorFactory(), all);
    }

    private static String url(HttpServer s, String scheme, String path) {
        return scheme + "://127.0.0.1:" + s.getAddress().getPort() + path;
    }

    @Test
    void anHttp500IsDownAfterDampingWithTheStatusInTheAttributesAndUpWhenFixed() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = http(ex -> respond(status.get(), "status " + status.get()).handle(ex));
        try {
            MonitorRun run = monitor(url(server, "http", "/health?deep=1"));
            assertEquals(List.of(), run.poll());
            assertEquals(200.0, run.value("endpoint.http.status"));

            status.set(500);
            assertEquals(List.of(), run.poll(2));
            List<Event> down = run.poll();
            assertEquals(List.of("endpoint.down high"), summary(down));
            Event d = down.get(0);
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
            assertEquals(endpoint, d.subject(), "the query string stays out of subjects and labels");
            assertEquals(500, d.attributes().get("status"));
            assertEquals("status", d.attributes().get("phase"));
            assertEquals("status 500, expected 200-399", d.attributes().get("reason"));
            assertEquals(500.0, run.value("endpoint.http.status"));
            assertEquals(0.0, run.value("endpoint.up"));

            status.set(200);
            List<Event> up = run.poll();
            assertEquals(List.of("endpoint.up info"), summary(up));
            assertEquals(d.fingerprint(), up.get(0).fingerprint());
            assertEquals(List.of("endpoint.up", "endpoint.connect_time", "endpoint.http.response_time",
                    "endpoint.http.status"), run.sampleNames());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theBodyMustMatchThePatternWhenOneIsGiven() throws Exception {
        HttpServer server = http(respond(200, "{\"status\":\"degraded\"}"));
        try {
            assertEquals(List.of(), monitor(url(server, "http", "/"), "body_match", "\"status\":\"(ok|degraded)\"").poll());
            Event down = monitor(url(server, "http", "/"), "body_match", "\"status\":\"ok\"", "failures_before_down", 1)
                    .poll().get(0);
            assertEquals("body", down.attributes().get("phase"));
            assertEquals("the body has no match of /\"status\":\"ok\"/", down.attributes().get("reason"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChunkedBodyIsDecodedBeforeMatching() throws Exception {
        HttpServer server = http(ex -> {
            ex.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("READY".getBytes(StandardCharsets.UTF_8));
            }
        });
        try {
            MonitorRun run = monitor(url(server, "http", "/"), "body_match", "line 49\\nREADY$", "failures_before_down", 1);
            assertEquals(List.of(), run.poll());
            assertEquals(1.0, run.value("endpoint.up"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void expectedStatusTakesCodesAndRangesAndRedirectsAreNotFollowed() throws Exception {
        HttpServer server = http(ex -> {
            ex.getResponseHeaders().add("Location", "/elsewhere");
            respond(302, "").handle(ex);
        });
        try {
            assertEquals(List.of(), monitor(url(server, "http", "/")).poll());
            Event down = monitor(url(server, "http", "/"), "expected_status", "200,204", "failures_before_down", 1)
                    .poll().get(0);
            assertEquals("status 302, expected 200,204", down.attributes().get("reason"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHeadRequestNeedsNoBody() throws Exception {
        HttpServer server = http(respond(200, "a body HEAD must not read"));
        try {
            MonitorRun run = monitor(url(server, "http", "/"), "method", "HEAD");
            assertEquals(List.of(), run.poll());
            assertEquals(200.0, run.value("endpoint.http.status"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsWithATrustedSixtyDayCertificateIsUpAndReportsItsExpiry() throws Exception {
        HttpsServer server = https(serverContext(server(ca, 60, "ip:127.0.0.1"), ca), respond(200, "ok"));
        try {
            MonitorRun run = monitor(url(server, "https", "/"));
            assertEquals(List.of(), run.poll());
            assertEquals(60.0, run.value("endpoint.tls.days_to_expiry"));
            assertEquals(List.of("endpoint.up", "endpoint.connect_time", "endpoint.tls.handshake_time",
                    "endpoint.http.response_time", "endpoint.http.status", "endpoint.tls.days_to_expiry"),
                    run.sampleNames());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsWithAFiveDayCertificateIsUpAndCriticallyExpiring() throws Exception {
        HttpsServer server = https(serverContext(server(ca, 5, "ip:127.0.0.1"), ca), respond(200, "ok"));
        try {
            MonitorRun run = monitor(url(server, "https", "/"));
            assertEquals(List.of("tls.certificate_expiring critical"), summary(run.poll()));
            assertEquals(1.0, run.value("endpoint.up"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRenewedCertificateIsSeenAtTheNextCheckAlthoughTheServerWouldResumeTheOldSession() throws Exception {
        TlsTestServer.Keys keys = new TlsTestServer.Keys(server(ca, 5, "ip:127.0.0.1"), ca);
        HttpsServer server = https(keys.context(), respond(200, "ok"));
        try {
            MonitorRun run = monitor(url(server, "https", "/"));
            assertEquals(List.of("tls.certificate_expiring critical"), summary(run.poll()));
            assertEquals(List.of(), run.poll());

            keys.use(server(ca, 90, "ip:127.0.0.1"), ca);
            assertEquals(List.of("tls.certificate_renewed info"), summary(run.poll()));
            assertEquals(90.0, run.value("endpoint.tls.days_to_expiry"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsWithAnExpiredCertificateIsRefusedLikeABrowserWouldAndReportedInvalid() throws Exception {
        HttpsServer server = https(serverContext(server(ca, -3, "ip:127.0.0.1"), ca), respond(200, "ok"));
        try {
            MonitorRun run = monitor(url(server, "https", "/"), "failures_before_down", 1);
            List<Event> events = run.poll();
            assertEquals(List.of("tls.certificate_invalid high", "endpoint.down high"), summary(events));
            assertEquals("tls", events.get(1).attributes().get("phase"));
            assertEquals("certificate refused: the certificate expired at 2025-12-29T00:00:00Z",
                    events.get(1).attributes().get("reason"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withVerifyCertificateOffTheRequestIsMadeAndTheCertificateStillReported() throws Exception {
        HttpsServer server = https(serverContext(server(ca, 60, "dns:wrong.example"), ca), respond(200, "ok"));
        try {
            MonitorRun run = monitor(url(server, "https", "/"), "verify_certificate", false, "failures_before_down", 1);
            assertEquals(List.of("tls.certificate_invalid high"), summary(run.poll()));
            assertEquals(1.0, run.value("endpoint.up"));
            assertEquals(200.0, run.value("endpoint.http.status"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void credentialsInTheUrlAreRefusedAtCreationWithoutEchoingThem() {
        HttpMonitorFactory factory = new HttpMonitorFactory();
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of("url", "https://ops:hunter2@example.com/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
        assertEquals("credentials in the URL are not supported (they would appear in events and labels); point the "
                + "check at an endpoint that needs none", e.getMessage());
    }

    @Test
    void badOptionsAreRefusedAtCreationWithTheReason() {
        HttpMonitorFactory factory = new HttpMonitorFactory();
        assertEquals("\"2xx\" is not a status code or range between 100 and 599 (write e.g. 200-399 or 200,204)",
                assertThrows(IllegalArgumentException.class, () -> factory.create(TestMonitorContext.forFactory(factory,
                        Map.of("url", "http://x/", "expected_status", "2xx")))).getMessage());
        assertEquals("expected an http:// or https:// URL, got \"ftp://x/\"",
                assertThrows(IllegalArgumentException.class, () -> factory.create(TestMonitorContext.forFactory(factory,
                        Map.of("url", "ftp://x/")))).getMessage());
        assertEquals("body_match needs method GET: a HEAD response has no body",
                assertThrows(IllegalArgumentException.class, () -> factory.create(TestMonitorContext.forFactory(factory,
                        Map.of("url", "http://x/", "method", "HEAD", "body_match", "ok")))).getMessage());
    }
}

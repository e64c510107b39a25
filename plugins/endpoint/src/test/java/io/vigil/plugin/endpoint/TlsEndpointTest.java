package io.vigil.plugin.endpoint;

import static io.vigil.plugin.endpoint.MonitorRun.summary;
import static io.vigil.plugin.endpoint.TestCertificates.ca;
import static io.vigil.plugin.endpoint.TestCertificates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tls monitor against TLS servers on loopback with certificates made for each case. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsEndpointTest {

    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued otherCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCas() throws Exception {
        ca = ca("Vigil Test CA");
        otherCa = ca("Other CA");
    }

    private TlsTestServer serving(double daysLeft, String... names) throws Exception {
        return new TlsTestServer(server(ca, daysLeft, names), ca);
    }

    private MonitorRun monitor(TlsTestServer server, Object... options) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("address", server.address(), "timeout", "2s",
                "trust_store", TestCertificates.pem(dir.resolve("ca.pem"), ca.cert()).toString()));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(new TlsMonitorFactory(), all);
    }

    @Test
    void aCertificateExpiringInFiveDaysIsCriticalOnceAndOneInSixtyDaysRaisesNothing() throws Exception {
        try (TlsTestServer five = serving(5, "ip:127.0.0.1"); TlsTestServer sixty = serving(60, "ip:127.0.0.1")) {
            MonitorRun soon = monitor(five);
            List<Event> events = soon.poll();
            assertEquals(List.of("tls.certificate_expiring critical"), summary(events));
            Event e = events.get(0);
            assertEquals("tls://" + five.address(), e.subject());
            assertEquals(5.0, e.attributes().get("days_to_expiry"));
            assertEquals("critical", e.attributes().get("level"));
            assertEquals(7, e.attributes().get("threshold_days"));
            assertEquals("2026-01-06T00:00:00Z", e.attributes().get("not_after"));
            assertEquals("TLS certificate of tls://" + five.address() + " expires in 5 days (at 2026-01-06T00:00:00Z)",
                    e.title());
            assertEquals(List.of(), soon.poll(2), "still expiring: nothing new");

            MonitorRun later = monitor(sixty);
            assertEquals(List.of(), later.poll());
            assertEquals(60.0, later.value("endpoint.tls.days_to_expiry"));
            assertEquals(1.0, later.value("endpoint.up"));
            assertTrue(later.value("endpoint.tls.handshake_time") > 0);
        }
    }

    @Test
    void aCertificateGoesFromMediumToCriticalAndARenewalEndsItWithTheSameFingerprint() throws Exception {
        try (TlsTestServer server = serving(20, "ip:127.0.0.1")) {
            MonitorRun run = monitor(server);
            List<Event> warning = run.poll();
            assertEquals(List.of("tls.certificate_expiring medium"), summary(warning));

            run.ctx.advance(Duration.ofDays(14));
            List<Event> critical = run.poll();
            assertEquals(List.of("tls.certificate_expiring critical"), summary(critical));
            assertEquals("warning", critical.get(0).attributes().get("previous_level"));

            server.use(server(ca, 104, "ip:127.0.0.1"), ca);
            List<Event> renewed = run.poll();
            assertEquals(List.of("tls.certificate_renewed info"), summary(renewed));
            assertEquals(90.0, renewed.get(0).attributes().get("days_to_expiry"));
            assertEquals(warning.get(0).fingerprint(), critical.get(0).fingerprint());
            assertEquals(warning.get(0).fingerprint(), renewed.get(0).fingerprint());
        }
    }

    @Test
    void anExpiredCertificateIsInvalidOnceAndTheEndpointStaysUp() throws Exception {
        try (TlsTestServer server = serving(-1, "ip:127.0.0.1")) {
            MonitorRun run = monitor(server);
            List<Event> events = run.poll();
            assertEquals(List.of("tls.certificate_invalid high"), summary(events));
            assertEquals(List.of(Map.of("code", "expired", "message", "the certificate expired at 2025-12-31T00:00:00Z")),
                    events.get(0).attributes().get("problems"));
            assertEquals(-1.0, events.get(0).attributes().get("days_to_expiry"));
            assertEquals(1.0, run.value("endpoint.up"), "the handshake works: a certificate problem is not an outage");
            assertEquals(-1.0, run.value("endpoint.tls.days_to_expiry"));
            assertEquals(List.of(), run.poll(2));
        }
    }

    @Test
    void aCertificateForAnotherHostIsInvalidAndAFixedOneIsValidAgainWithTheSameFingerprint() throws Exception {
        try (TlsTestServer server = serving(60, "dns:other.example")) {
            MonitorRun run = monitor(server);
            List<Event> invalid = run.poll();
            assertEquals(List.of("tls.certificate_invalid high"), summary(invalid));
            assertEquals(List.of(Map.of("code", "hostname_mismatch",
                            "message", "the certificate is for DNS:other.example, not 127.0.0.1")),
                    invalid.get(0).attributes().get("problems"));
            assertEquals("TLS certificate of tls://" + server.address() + " is not valid: the certificate is for "
                    + "DNS:other.example, not 127.0.0.1", invalid.get(0).title());

            server.use(server(ca, 60, "ip:127.0.0.1"), ca);
            List<Event> valid = run.poll();
            assertEquals(List.of("tls.certificate_valid info"), summary(valid));
            assertEquals(invalid.get(0).fingerprint(), valid.get(0).fingerprint());
        }
    }

    @Test
    void aCertificateFromAnIssuerOutsideTheTrustStoreIsUntrusted() throws Exception {
        try (TlsTestServer server = new TlsTestServer(server(otherCa, 60, "ip:127.0.0.1"), otherCa)) {
            MonitorRun run = monitor(server);
            Event e = run.poll().get(0);
            assertEquals("tls.certificate_invalid", e.type());
            @SuppressWarnings("unchecked")
            Map<String, Object> problem = ((List<Map<String, Object>>) e.attributes().get("problems")).get(0);
            assertEquals("untrusted", problem.get("code"));
            assertTrue(((String) problem.get("message")).startsWith("no chain from its issuer O=Vigil tests,CN=Other CA "
                    + "leads to a root in " + dir.resolve("ca.pem")), (String) problem.get("message"));
        }
    }

    @Test
    void aSelfSignedCertificateIsTrustedWhenTheTrustStorePinsItAndUntrustedOtherwise() throws Exception {
        TestCertificates.Issued self = TestCertificates.selfSigned(60, "ip:127.0.0.1");
        try (TlsTestServer server = new TlsTestServer(self, self)) {
            Path pinned = TestCertificates.pem(dir.resolve("pinned.pem"), self.cert());
            assertEquals(List.of(), monitor(server, "trust_store", pinned.toString()).poll());

            Event e = monitor(server).poll().get(0);
            assertEquals(List.of(Map.of("code", "untrusted", "message", "the certificate is self-signed and not in "
                    + dir.resolve("ca.pem") + " (unable to find valid certification path to requested target)")),
                    e.attributes().get("problems"));
        }
    }

    @Test
    void withoutATrustStoreTheJvmRootsDecideAndATestCaIsNotAmongThem() throws Exception {
        try (TlsTestServer server = serving(60, "ip:127.0.0.1")) {
            MonitorRun run = new MonitorRun(new TlsMonitorFactory(), Map.of("address", server.address()));
            Event e = run.poll().get(0);
            assertEquals("tls.certificate_invalid", e.type());
            assertEquals("the JVM's trust store", e.attributes().get("trust_store"));
        }
    }

    @Test
    void theServerNameIsSentAndCheckedInsteadOfTheAddressHost() throws Exception {
        try (TlsTestServer server = serving(60, "dns:localhost")) {
            assertEquals(List.of(), monitor(server, "server_name", "localhost").poll());
            assertEquals(List.of("tls.certificate_invalid high"), summary(monitor(server).poll()));
            assertEquals(List.of(), monitor(server, "verify_hostname", false).poll());
        }
    }

    @Test
    void aPkcs12TrustStoreIsOpenedWithItsPasswordAndAWrongPasswordFailsAtCreation() throws Exception {
        Path p12 = TestCertificates.pkcs12(dir.resolve("trust.p12"), "s3cret-pass", ca.cert());
        try (TlsTestServer server = serving(60, "ip:127.0.0.1")) {
            assertEquals(List.of(), monitor(server, "trust_store", p12.toString(),
                    "trust_store_password", "s3cret-pass").poll());

            TlsMonitorFactory factory = new TlsMonitorFactory();
            TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of("address", server.address(),
                    "trust_store", p12.toString(), "trust_store_password", "wrong-pass"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
            assertTrue(e.getMessage().startsWith("trust store " + p12 + " is neither a PEM bundle nor a JKS/PKCS12 key "
                    + "store it can open"), e.getMessage());
            assertTrue(!e.getMessage().contains("wrong-pass"));
        }
    }

    @Test
    void aServerThatSpeaksNoTlsIsAFailedHandshakeAndDownAfterDamping() throws Exception {
        try (LoopbackServer plain = new LoopbackServer(s -> {
            try {
                s.getOutputStream().write("220 smtp.example ESMTP\r\n".getBytes());
            } catch (java.io.IOException ignored) {
                // client closed
            }
        })) {
            MonitorRun run = new MonitorRun(new TlsMonitorFactory(), Map.of("address", plain.address(),
                    "failures_before_down", 2, "timeout", "2s"));
            assertEquals(List.of(), run.poll());
            List<Event> down = run.poll();
            assertEquals(List.of("endpoint.down high"), summary(down));
            assertEquals("tls", down.get(0).attributes().get("phase"));
            assertTrue(((String) down.get(0).attributes().get("reason")).startsWith("TLS handshake with "
                    + plain.address() + " failed: "), (String) down.get(0).attributes().get("reason"));
        }
    }
}

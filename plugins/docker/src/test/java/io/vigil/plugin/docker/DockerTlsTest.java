package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS to a tcp:// engine from a Docker certificate directory, read without BouncyCastle. */
class DockerTlsTest {

    private static final Path CERTS = Path.of("src/test/resources/tls");

    @Test
    void readsPkcs1RsaSec1EcAndPkcs8ClientKeys() {
        for (String dir : List.of("client-rsa", "client-ec", "client-pkcs8")) {
            assertNotNull(DockerTls.load(CERTS.resolve(dir)).getSSLContext(), dir);
        }
    }

    @Test
    void missingCertificateFileIsAnOptionErrorNamingIt() {
        Map<String, Object> options = Map.of("host", "tcp://127.0.0.1:2376", "tls_verify", true,
                "tls_cert_path", CERTS.resolve("ca").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DockerMonitorFactory().create(io.vigil.testkit.TestMonitorContext.forFactory(
                        new DockerMonitorFactory(), options)));
        assertEquals("tls_cert_path: " + CERTS.resolve("ca").resolve("cert.pem") + " is missing or unreadable; "
                + "tls_cert_path: " + CERTS.resolve("ca").resolve("key.pem") + " is missing or unreadable", e.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void engineBehindTlsWithClientCertificatesIsFollowed() throws Exception {
        try (TestEngine engine = TestEngine.connect();
             EngineProxy tlsFront = new EngineProxy(Path.of("/var/run/docker.sock"), serverContext())) {
            Map<String, Object> options = Map.of("host", tlsFront.host(), "tls_verify", true,
                    "tls_cert_path", CERTS.resolve("client-ec").toString());
            String name = "vt-tls-" + UUID.randomUUID().toString().substring(0, 8);
            try (MonitorRun run = MonitorRun.start(MonitorRun.context(options))) {
                engine.run(name, "true");
                Event died = run.await("docker.container.died", name);
                assertEquals(0, died.attributes().get("exit_code"));
                assertTrue(run.ofType("docker.engine.unreachable").isEmpty());
            } finally {
                engine.removeTestContainers();
            }
        }
    }

    private static SSLContext serverContext() throws Exception {
        Path server = CERTS.resolve("server");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", DockerTls.privateKey(server.resolve("key.pem")), "x".toCharArray(),
                DockerTls.certificates(server.resolve("cert.pem")).toArray(new Certificate[0]));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", DockerTls.certificates(server.resolve("ca.pem")).get(0));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

}

package io.vigil.server;

import io.vigil.server.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entry point, as {@code java -jar vigil-server.jar} runs it. */
class VigilServerSpec {

    /**
     * One embedded-PostgreSQL base directory for the class, so the binaries are extracted and the
     * cluster initialised once. World-searchable: when the tests run as root, PostgreSQL runs as an
     * unprivileged user that must reach it.
     */
    private static Path base;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void createBaseDirectory() throws IOException {
        base = Files.createTempDirectory("vigil-server-spec-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterAll
    static void deleteBaseDirectory() throws Exception {
        stopOrphanedPostgres(base.resolve("data/postmaster.pid"));
        deleteRecursively(base);
    }

    @Test
    void startsOnTheConfiguredDatabaseAndStopsOnClose() throws Exception {
        try (TestPostgres pg = TestPostgres.create()) {
            URI uri;
            try (VigilServer server = VigilServer.start(new String[] {
                    "--datasources.default.url=" + pg.jdbcUrl(), "--micronaut.server.port=-1",
                    "--vigil.vault.key=" + ServerSpec.VAULT_KEY}, Map.of(), new Properties())) {
                uri = server.uri();
                assertEquals(200, get(uri.resolve("/health")).statusCode());
                assertEquals(0, count(pg, "SELECT count(*) FROM flyway_schema_history WHERE NOT success"));
                assertTrue(count(pg, "SELECT count(*) FROM flyway_schema_history WHERE success") >= 1);
            }
            assertThrows(ConnectException.class, () -> new Socket(uri.getHost(), uri.getPort()).close());
        }
    }

    @Test
    void embeddedPostgresFlagRunsAPrivateDatabaseAndStopsItAfterTheServer() throws Exception {
        int pgPort;
        try (VigilServer server = VigilServer.start(new String[] {"--embedded-postgres", "--micronaut.server.port=-1",
                        "--vigil.agents.bootstrap-token=embedded-spec-token-000000000001",
                        "--vigil.vault.key=" + ServerSpec.VAULT_KEY},
                Map.of("VIGIL_EMBEDDED_POSTGRES_DIR", base.toString()), new Properties())) {
            assertNotNull(server.embeddedPostgres());
            pgPort = server.embeddedPostgres().port();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/ingest"))
                    .header("Authorization", "Bearer embedded-spec-token-000000000001")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"id\":\"0190f5a2-0000-7000-8000-000000000001\","
                            + "\"time\":\"2026-11-27T10:00:00Z\",\"type\":\"example.heartbeat\",\"severity\":\"info\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(server.context().getProperty("datasources.default.url", String.class).orElseThrow()
                    .startsWith("jdbc:postgresql://127.0.0.1:" + pgPort + "/vigil"));
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", pgPort).close());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void sigtermStopsTheServerAndThenItsEmbeddedPostgres() throws Exception {
        Path log = base.resolve("server.log");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VigilServer.class.getName(),
                "--embedded-postgres", "--micronaut.server.port=" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("VIGIL_EMBEDDED_POSTGRES_DIR", base.toString());
        pb.environment().put("VIGIL_VAULT_KEY", ServerSpec.VAULT_KEY);
        Process server = pb.start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!isUp(health)) {
                assertTrue(server.isAlive() && System.nanoTime() < deadline,
                        "server did not come up:\n" + Files.readString(log));
                Thread.sleep(200);
            }

            server.destroy(); // SIGTERM, as systemd stops it

            assertTrue(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS),
                    "server still running 30 s after SIGTERM:\n" + Files.readString(log));
            String output = Files.readString(log);
            assertTrue(output.contains("embedded PostgreSQL stopped"), output);
            assertFalse(Files.exists(base.resolve("data/postmaster.pid")), "PostgreSQL still running:\n" + output);
        } finally {
            server.destroyForcibly();
            stopOrphanedPostgres(base.resolve("data/postmaster.pid"));
        }
    }

    @Test
    void withoutAVaultKeyTheProgramStopsWithOneMessageBeforeTouchingTheDatabase() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VigilServer.class.getName(),
                "--datasources.default.url=jdbc:postgresql://127.0.0.1:1/unreachable")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("VIGIL_"));
        Process server = pb.start();

        assertTrue(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String output = new String(server.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, server.exitValue(), output);
        assertEquals("vigil-server: not starting: " + io.vigil.server.crypto.KeyringLoader.NO_KEY + "\n", output);
    }

    /** When the test failed with the server hung, its PostgreSQL would outlive the test. */
    private static void stopOrphanedPostgres(Path postmasterPid) throws Exception {
        if (Files.exists(postmasterPid)) {
            long pid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip());
            var postgres = ProcessHandle.of(pid);
            if (postgres.isPresent()) {
                postgres.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
                postgres.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private boolean isUp(URI health) {
        try {
            return get(health).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(TestPostgres pg, String sql) throws Exception {
        try (var c = pg.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

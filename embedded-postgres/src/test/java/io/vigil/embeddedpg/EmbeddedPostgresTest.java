package io.vigil.embeddedpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedPostgresTest {

    private ScratchDirectory scratch;

    @BeforeEach
    void createScratchDirectory() throws IOException {
        scratch = new ScratchDirectory();
    }

    @AfterEach
    void killLeftoversAndDelete() throws IOException {
        scratch.close();
    }

    @Test
    void a_started_server_stores_and_reads_back_rows_in_a_database_created_on_demand() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            pg.createDatabaseIfMissing("vigil_test");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("vigil_test"));
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE event (id bigint PRIMARY KEY, body text NOT NULL)");
                s.execute("INSERT INTO event VALUES (1, 'disk full'), (2, 'cpu hot')");
                assertEquals(List.of("1:disk full", "2:cpu hot"), rows(s, "SELECT id || ':' || body FROM event ORDER BY id"));
                assertEquals(List.of("postgres"), rows(s, "SELECT current_user"));
                assertEquals(List.of("vigil_test"), rows(s, "SELECT current_database()"));
                assertEquals(List.of(pg.dataDirectory().toString()), rows(s, "SHOW data_directory"));
                assertEquals(List.of("UTF8"), rows(s, "SHOW server_encoding"));
            }
            assertEquals(scratch.base().resolve("data"), pg.dataDirectory());
            assertTrue(pg.port() > 0);
            assertEquals("jdbc:postgresql://127.0.0.1:" + pg.port() + "/vigil_test?user=postgres", pg.jdbcUrl("vigil_test"));
        }
    }

    @Test
    void close_stops_the_server_so_its_port_no_longer_accepts_connections_and_is_idempotent() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0);
        int port = pg.port();
        long pid = pg.pid();
        assertTrue(accepts(port), "server accepts TCP connections while running");

        pg.close();

        assertFalse(accepts(port), "port " + port + " still accepts connections after close()");
        assertFalse(new LinuxProcess(pid).isRunning(), "postmaster pid " + pid + " still running after close()");
        assertFalse(Files.exists(pg.dataDirectory().resolve("postmaster.pid")));
        pg.close();
        assertThrows(SQLException.class, () -> pg.createDatabaseIfMissing("too_late"));
    }

    @Test
    void a_restart_on_the_same_base_directory_keeps_the_data() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            pg.createDatabaseIfMissing("vigil");
            exec(pg.jdbcUrl("vigil"), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('survives restart')");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            pg.createDatabaseIfMissing("vigil");
            assertEquals(List.of("survives restart"), query(pg.jdbcUrl("vigil"), "SELECT v FROM kept"));
        }
    }

    @Test
    void a_stale_postmaster_pid_from_a_process_that_no_longer_exists_does_not_prevent_start() throws Exception {
        Path dataDir;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            dataDir = pg.dataDirectory();
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        plantPidFile(dataDir, gone.pid());

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            assertEquals(List.of("1"), query(pg.jdbcUrl("postgres"), "SELECT 1"));
            assertNotEquals(gone.pid(), PostmasterPidFile.read(dataDir).orElseThrow().pid());
        }
    }

    @Test
    void a_stale_postmaster_pid_whose_pid_now_names_an_unrelated_process_does_not_prevent_start_nor_kill_it()
            throws Exception {
        Path dataDir;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            dataDir = pg.dataDirectory();
        }
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            plantPidFile(dataDir, unrelated.pid());
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
                assertEquals(List.of("1"), query(pg.jdbcUrl("postgres"), "SELECT 1"));
            }
            assertTrue(unrelated.isAlive(), "the unrelated process must be left alone");
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void a_server_orphaned_by_a_jvm_killed_with_sigkill_is_stopped_and_its_data_reused() throws Exception {
        Path childLog = scratch.path().resolve("child-jvm.log");
        Process jvm = new ProcessBuilder(javaExecutable(), "-cp", testClassPath(),
                OrphaningMain.class.getName(), scratch.base().toString())
                .redirectError(childLog.toFile())
                .start();
        long orphanPid;
        try {
            orphanPid = OrphaningMain.awaitReady(jvm, 60, childLog);
        } finally {
            jvm.destroyForcibly(); // SIGKILL: the JVM gets no chance to close() anything
            jvm.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(new LinuxProcess(orphanPid).isRunning(), "precondition: the postmaster outlives its killed JVM");

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            assertFalse(new LinuxProcess(orphanPid).isRunning(), "orphaned postmaster " + orphanPid + " was stopped");
            assertNotEquals(orphanPid, pg.pid());
            assertEquals(List.of(OrphaningMain.ROW), query(pg.jdbcUrl(OrphaningMain.DATABASE), "SELECT v FROM t"));
        }
    }

    @Test
    void when_the_jvm_runs_as_root_the_postmaster_runs_as_the_unprivileged_user_nobody() throws Exception {
        assumeTrue(ProcessUser.effectiveUid() == 0, "only meaningful when the tests run as root");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            long pid = PostmasterPidFile.read(pg.dataDirectory()).orElseThrow().pid();
            assertEquals(pg.pid(), pid, "setpriv exec()s postgres, so our child is the postmaster itself");

            String uidLine = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            String gidLine = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("Gid:")).findFirst().orElseThrow();
            assertEquals(List.of("65534", "65534", "65534", "65534"), List.of(uidLine.substring(4).trim().split("\\s+")));
            assertEquals(List.of("65534", "65534", "65534", "65534"), List.of(gidLine.substring(4).trim().split("\\s+")));

            assertEquals(65534, Files.getAttribute(pg.dataDirectory(), "unix:uid"));
            assertEquals(0700, (Integer) Files.getAttribute(pg.dataDirectory(), "unix:mode") & 0777);
        }
    }

    @Test
    void when_the_jvm_runs_as_root_a_base_directory_nobody_cannot_enter_is_refused_naming_the_blocking_directory()
            throws Exception {
        assumeTrue(ProcessUser.effectiveUid() == 0, "only meaningful when the tests run as root");
        Path closed = scratch.path().resolve("closed");
        Files.createDirectory(closed);
        Files.setAttribute(closed, "unix:mode", 0700);

        IOException e = assertThrows(IOException.class, () -> EmbeddedPostgres.start(closed.resolve("base"), 0));

        assertTrue(e.getMessage().contains("directory " + closed + " (mode 700"), e.getMessage());
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());
    }

    @Test
    void a_fixed_port_is_used_and_a_busy_one_is_reported_as_such() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), free)) {
            assertEquals(free, pg.port());
            assertEquals(List.of("1"), query(pg.jdbcUrl("postgres"), "SELECT 1"));
        }
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> EmbeddedPostgres.start(scratch.base(), busy.getLocalPort()));
            assertTrue(e.getMessage().contains("port is in use"), e.getMessage());
        }
    }

    @Test
    void a_second_start_on_a_base_directory_in_use_is_refused_while_the_first_keeps_running() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(scratch.base(), 0)) {
            IOException e = assertThrows(IOException.class, () -> EmbeddedPostgres.start(scratch.base(), 0));
            assertTrue(e.getMessage().contains("in use by another embedded PostgreSQL"), e.getMessage());
            assertEquals(List.of("1"), query(first.jdbcUrl("postgres"), "SELECT 1"));
        }
    }

    @Test
    void create_database_if_missing_is_idempotent_and_accepts_names_that_need_quoting() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(scratch.base(), 0)) {
            pg.createDatabaseIfMissing("Vigil Demo \"quoted\"");
            pg.createDatabaseIfMissing("Vigil Demo \"quoted\"");
            assertEquals(List.of("Vigil Demo \"quoted\""),
                    query(pg.jdbcUrl("Vigil Demo \"quoted\""), "SELECT current_database()"));
        }
    }

    private static void plantPidFile(Path dataDir, long pid) throws IOException {
        // The layout PostgreSQL writes: pid, data directory, start time, port, socket dir, address, shm key, status.
        Files.writeString(dataDir.resolve("postmaster.pid"),
                pid + "\n" + dataDir + "\n1700000000\n5432\n/tmp\n127.0.0.1\n  1234567  0\nready   \n");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void exec(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            return rows(s, sql);
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire runs tests from a manifest-only jar; its real class path is in this property. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}

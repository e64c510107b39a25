package io.vigil.embeddedpg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running postmaster: our child process, started directly (not through pg_ctl) so that the JVM
 * holds its Process handle and its exit is noticed at once.
 */
final class PostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Ports chosen by us can be taken by someone else before postgres binds them. */
    private static final int FREE_PORT_ATTEMPTS = 3;
    /** sun_path is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Process process;
    private final int port;
    private final String version;
    private final PgCtl pgCtl;
    private final Path dataDir;

    private PostgresServer(Process process, int port, String version, PgCtl pgCtl, Path dataDir) {
        this.process = process;
        this.port = port;
        this.version = version;
        this.pgCtl = pgCtl;
        this.dataDir = dataDir;
    }

    /** Starts the postmaster and returns once it accepts connections; {@code port} 0 picks a free one. */
    static PostgresServer start(BaseDirectory base, PostgresBinaries binaries, ProcessUser user, Path dataDir,
            int port) throws IOException {
        user.ownPrivateDirectory(base.sockets());
        PgCtl pgCtl = new PgCtl(binaries, user, base.path(), base.log().resolve("pg_ctl.log"));
        for (int attempt = 1; ; attempt++) {
            int chosen = port == 0 ? freePort() : port;
            try {
                return launch(base, binaries, user, dataDir, chosen, pgCtl);
            } catch (PortTakenException e) {
                if (port != 0) {
                    throw new IOException("PostgreSQL cannot listen on 127.0.0.1:" + port + ", the port is in use:"
                            + " stop whatever holds it or start with port 0 to pick a free one. Server log:\n"
                            + e.getMessage(), e);
                }
                if (attempt == FREE_PORT_ATTEMPTS) {
                    throw new IOException("PostgreSQL could not bind a free port in " + FREE_PORT_ATTEMPTS
                            + " attempts; last server log:\n" + e.getMessage(), e);
                }
                LOG.debug("Port {} was taken before PostgreSQL could bind it; picking another", chosen);
            }
        }
    }

    private static PostgresServer launch(BaseDirectory base, PostgresBinaries binaries, ProcessUser user,
            Path dataDir, int port, PgCtl pgCtl) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                binaries.postgres().toString(),
                "-D", dataDir.toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + socketDirectory(base.sockets(), port)));
        ServerLog log = ServerLog.beginRun(base.log().resolve("postgres.log"));
        Process process = PostgresCommand.builder(user, command, base.path())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()))
                .start();
        try {
            String version = awaitReady(process, port, log);
            return new PostgresServer(process, port, version, pgCtl, dataDir);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            waitQuietly(process, Duration.ofSeconds(10));
            throw e;
        }
    }

    /**
     * Our own directory rather than /var/run/postgresql, which does not exist without a PostgreSQL
     * package. A path too long for a unix socket (deep temporary directories) or one needing quoting
     * disables the socket instead: everything here connects over TCP anyway.
     */
    private static String socketDirectory(Path dir, int port) {
        String path = dir.toString();
        // The setting is a comma-separated list with its own quoting; rather than quote, skip odd paths.
        if (path.contains(",") || path.contains("\"") || path.contains(" ")) {
            LOG.debug("Unix socket disabled: {} contains a character unix_socket_directories would split on", path);
            return "";
        }
        int socketPathLength = (path + "/.s.PGSQL." + port).getBytes(StandardCharsets.UTF_8).length;
        if (socketPathLength > MAX_SOCKET_PATH) {
            LOG.debug("Unix socket disabled: {} is too long for a socket path", path);
            return "";
        }
        return path;
    }

    /** Polls with a real connection until one succeeds; returns the server version. */
    private static String awaitReady(Process process, int port, ServerLog log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        props.setProperty("socketTimeout", "10");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        SQLException last = null;
        long sleepMillis = 20;
        while (true) {
            if (!process.isAlive()) {
                String tail = log.tail();
                if (tail.contains("could not bind") || tail.contains("Address already in use")) {
                    throw new PortTakenException(tail);
                }
                throw new IOException("PostgreSQL exited with code " + process.exitValue() + " while starting;"
                        + " the end of its log " + log.file() + ":\n" + tail);
            }
            try (Connection c = new Driver().connect(url, props);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                last = e; // "the database system is starting up", or not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL did not accept connections on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT.toSeconds() + " s (last error: " + (last == null ? "none" : last.getMessage())
                        + "); the end of its log " + log.file() + ":\n" + log.tail());
            }
            sleep(sleepMillis);
            sleepMillis = Math.min(sleepMillis * 2, 250);
        }
    }

    int port() {
        return port;
    }

    String version() {
        return version;
    }

    long pid() {
        return process.pid();
    }

    /** Fast shutdown and wait; escalates to SIGKILL rather than leave a server running. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            pgCtl.stop(dataDir, "fast", STOP_TIMEOUT);
        } catch (IOException e) {
            LOG.warn("pg_ctl could not stop PostgreSQL pid {}: {}", process.pid(), e.getMessage());
        }
        if (waitQuietly(process, Duration.ofSeconds(5))) {
            return;
        }
        LOG.warn("PostgreSQL pid {} still running after pg_ctl stop; sending SIGTERM", process.pid());
        process.destroy();
        if (waitQuietly(process, Duration.ofSeconds(10))) {
            return;
        }
        LOG.warn("PostgreSQL pid {} ignored SIGTERM; killing it (the next start runs crash recovery)", process.pid());
        process.destroyForcibly();
        waitQuietly(process, Duration.ofSeconds(10));
    }

    private static boolean waitQuietly(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL to start", e);
        }
    }

    /** The postmaster exited because its port was taken; the message is the log tail. */
    private static final class PortTakenException extends IOException {
        PortTakenException(String logTail) {
            super(logTail);
        }
    }
}

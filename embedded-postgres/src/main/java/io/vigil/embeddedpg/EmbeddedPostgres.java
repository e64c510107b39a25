package io.vigil.embeddedpg;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server, run from the binaries zonky publishes on Maven Central, as a child
 * process of this JVM.
 *
 * <p>Everything lives under a base directory: the binaries (extracted once per version), a
 * persistent data directory (initialised on first start and reused afterwards, so data survives
 * restarts), the unix socket directory and the server log ({@code log/postgres.log}). The server
 * listens on 127.0.0.1 only and trusts every local connection as user {@code postgres}: it is meant
 * for demos, development and tests, not for a multi-user host.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root, initdb, postgres and pg_ctl are
 * started through {@code setpriv} as the unprivileged user {@code nobody}, or the user named by the
 * system property {@code vigil.embedded-postgres.user}; the base directory must then be reachable by
 * that user, which is why the default lies under java.io.tmpdir and not under the home directory.
 *
 * <p>A server left running by a JVM that died without {@link #close()} is found through its
 * postmaster.pid and stopped on the next start; a stale postmaster.pid is removed. This class
 * registers no shutdown hook: callers that want one add it themselves.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.start(0)) {
 *     pg.createDatabaseIfMissing("vigil");
 *     String url = pg.jdbcUrl("vigil");
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final BaseDirectory base;
    private final Path dataDirectory;
    private final PostgresServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(BaseDirectory base, Path dataDirectory, PostgresServer server) {
        this.base = base;
        this.dataDirectory = dataDirectory;
        this.server = server;
    }

    /** Starts (initialising on first use) a PostgreSQL under baseDir; port 0 picks a free port. */
    public static EmbeddedPostgres start(Path baseDir, int port) throws IOException {
        Objects.requireNonNull(baseDir, "baseDir");
        return start(baseDir, port, false);
    }

    /** Same with the default base directory: {@code <java.io.tmpdir>/vigil-embedded-postgres-<uid>}. */
    public static EmbeddedPostgres start(int port) throws IOException {
        return start(BaseDirectory.defaultLocation(), port, true);
    }

    private static EmbeddedPostgres start(Path baseDir, int port, boolean sharedLocation) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, was " + port);
        }
        ProcessUser user = ProcessUser.forCurrentProcess();
        BaseDirectory base = BaseDirectory.open(baseDir, user, sharedLocation);
        try {
            PostgresBinaries binaries = BinaryArchive.install(base.binaries());
            user.requireSearchable(binaries.home().resolve("bin"));
            DataDirectory data = new DataDirectory(base, binaries, user);
            data.prepare();
            PostgresServer server = PostgresServer.start(base, binaries, user, data.path(), port);
            LOG.info("PostgreSQL {} running on 127.0.0.1:{} as user '{}' (uid {}{}), data directory {}, log {}",
                    server.version(), server.port(), user.name(), user.uid(),
                    user.dropsPrivileges() ? ", dropped from root" : "", data.path(),
                    base.log().resolve("postgres.log"));
            return new EmbeddedPostgres(base, data.path(), server);
        } catch (IOException | RuntimeException | Error e) {
            base.close();
            throw e;
        }
    }

    /** The TCP port the server listens on (on 127.0.0.1). */
    public int port() {
        return server.port();
    }

    /** The persistent data directory; reused by the next start on the same base directory. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** jdbc:postgresql://127.0.0.1:&lt;port&gt;/&lt;database&gt;?user=postgres */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database");
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8) + "?user=postgres";
    }

    /** Creates the database unless it exists; safe to call concurrently for the same name. */
    public void createDatabaseIfMissing(String database) throws SQLException {
        Objects.requireNonNull(database, "database");
        if (database.isEmpty() || database.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid database name: '" + database + "'");
        }
        if (closed.get()) {
            throw new SQLException("embedded PostgreSQL on port " + server.port() + " is closed");
        }
        try (Connection c = new Driver().connect(jdbcUrl("postgres"), new Properties())) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                LOG.info("Created database '{}'", database);
            } catch (SQLException e) {
                // 42P04 duplicate_database: someone created it between our check and CREATE.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Stops the server (fast shutdown: open transactions roll back) and releases the base directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
            LOG.info("PostgreSQL on port {} stopped", server.port());
        } finally {
            base.close();
        }
    }

    /** The postmaster's pid, for tests that inspect the process. */
    long pid() {
        return server.pid();
    }
}

package io.vigil.agent.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the agent's local SQLite databases (spool and state) the same way: WAL journal, so a
 * commit is one append and readers never block the writer; {@code synchronous=NORMAL}, which in
 * WAL mode keeps every committed transaction across a process crash (kill -9) and loses at most
 * the last commits on power loss; a quick integrity check at open, and a damaged file moved aside
 * rather than crashing the agent for ever.
 */
public final class SqliteDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

    private SqliteDatabase() {
    }

    /**
     * Opens (creating) {@code file}. When the integrity check fails the file is renamed to
     * {@code <name>.corrupt-<time>} and a fresh database is created; the returned flag says so,
     * so the caller can count what was lost.
     */
    public static Opened open(Path file) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Connection connection = null;
        try {
            connection = connect(file);
        } catch (SQLException e) {
            // SQLITE_NOTADB or SQLITE_CORRUPT already on the first pragma: treat as damaged below
            if (!isDamage(e)) {
                throw e;
            }
        }
        if (connection == null || !healthy(connection)) {
            if (connection != null) {
                connection.close();
            }
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
            LOG.error("{} failed its integrity check; moved it to {} and started a new one", file, aside);
            return new Opened(connect(file), true);
        }
        return new Opened(connection, false);
    }

    private static Connection connect(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA busy_timeout=5000");
        }
        return connection;
    }

    private static boolean isDamage(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_NOTADB") || m.contains("SQLITE_CORRUPT");
    }

    private static boolean healthy(Connection connection) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            return rs.next() && "ok".equalsIgnoreCase(rs.getString(1));
        } catch (SQLException e) {
            // SQLITE_NOTADB / SQLITE_CORRUPT surface here, as an exception rather than a row
            return false;
        }
    }

    /**
     * An open database.
     *
     * @param connection  the connection; the owner serialises its use
     * @param wasReplaced whether a damaged file was moved aside to open this one
     */
    public record Opened(Connection connection, boolean wasReplaced) {
    }
}

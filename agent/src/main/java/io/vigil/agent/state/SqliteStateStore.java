package io.vigil.agent.state;

import io.vigil.api.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.vigil.agent.storage.SqliteDatabase;

/**
 * The monitors' persistent state: one SQLite file for the whole agent, rows keyed by monitor
 * name and key. {@link #forMonitor(String)} hands each monitor a view that can only see its own
 * rows.
 */
public final class SqliteStateStore implements AutoCloseable {

    private final Connection connection;

    private SqliteStateStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating) the state database at {@code file}. */
    public static SqliteStateStore open(Path file) throws IOException {
        try {
            Connection connection = SqliteDatabase.open(file).connection();
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS state (monitor TEXT NOT NULL, key TEXT NOT NULL, "
                        + "value TEXT NOT NULL, PRIMARY KEY (monitor, key)) WITHOUT ROWID");
            }
            return new SqliteStateStore(connection);
        } catch (SQLException e) {
            throw new IOException("cannot open state database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The store a monitor sees: its own keys only. */
    public StateStore forMonitor(String monitor) {
        return new MonitorState(monitor);
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }

    private final class MonitorState implements StateStore {
        private final String monitor;

        MonitorState(String monitor) {
            this.monitor = monitor;
        }

        @Override
        public Optional<String> get(String key) {
            synchronized (SqliteStateStore.this) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT value FROM state WHERE monitor = ? AND key = ?")) {
                    ps.setString(1, monitor);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                    }
                } catch (SQLException e) {
                    throw failure("read", key, e);
                }
            }
        }

        @Override
        public void put(String key, String value) {
            putAll(Map.of(key, value));
        }

        @Override
        public void putAll(Map<String, String> entries) {
            synchronized (SqliteStateStore.this) {
                try {
                    connection.setAutoCommit(false);
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO state (monitor, key, value) VALUES (?, ?, ?) "
                                    + "ON CONFLICT (monitor, key) DO UPDATE SET value = excluded.value")) {
                        for (Map.Entry<String, String> e : entries.entrySet()) {
                            ps.setString(1, monitor);
                            ps.setString(2, e.getKey());
                            ps.setString(3, e.getValue());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        connection.commit();
                    } catch (SQLException e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw failure("write", String.join(",", entries.keySet()), e);
                }
            }
        }

        @Override
        public void remove(String key) {
            synchronized (SqliteStateStore.this) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "DELETE FROM state WHERE monitor = ? AND key = ?")) {
                    ps.setString(1, monitor);
                    ps.setString(2, key);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw failure("remove", key, e);
                }
            }
        }

        @Override
        public Map<String, String> entries(String prefix) {
            synchronized (SqliteStateStore.this) {
                // substr comparison rather than LIKE, so '%' and '_' in a prefix are literal
                try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT key, value FROM state WHERE monitor = ? AND substr(key, 1, ?) = ? ORDER BY key")) {
                    ps.setString(1, monitor);
                    ps.setInt(2, prefix.length());
                    ps.setString(3, prefix);
                    Map<String, String> out = new TreeMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getString(2));
                        }
                    }
                    return out;
                } catch (SQLException e) {
                    throw failure("list", prefix + "*", e);
                }
            }
        }

        private UncheckedIOException failure(String what, String key, SQLException e) {
            return new UncheckedIOException(new IOException("state " + what + " of " + monitor + "/" + key
                    + " failed: " + e.getMessage(), e));
        }
    }
}

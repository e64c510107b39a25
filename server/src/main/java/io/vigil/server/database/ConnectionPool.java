package io.vigil.server.database;

import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain connections from the server's pool, outside Micronaut's transaction management: for the
 * read queries built as SQL text (event, metric and statistics queries) and for maintenance DDL,
 * which must not join a caller's transaction. Each caller closes what it opens (try-with-resources);
 * connections come in auto-commit mode.
 */
@Singleton
public final class ConnectionPool {

    private final DataSource pool;

    ConnectionPool(DataSource dataSource, DataSourceResolver resolver) {
        this.pool = resolver.resolve(dataSource);
    }

    /**
     * A connection; close it when done.
     *
     * @throws DatabaseUnavailableException when PostgreSQL cannot be reached
     */
    public Connection open() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new DatabaseUnavailableException(e);
            }
            throw e;
        }
    }

    /** Work on a connection that may fail with an {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection: an unreachable database becomes
     * {@link DatabaseUnavailableException} (503), any other SQL failure an
     * {@link IllegalStateException} (500, logged).
     */
    public <T> T with(Work<T> work) {
        try (Connection c = open()) {
            return work.run(c);
        } catch (SQLException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new DatabaseUnavailableException(e);
            }
            throw new IllegalStateException("database query failed: " + e.getMessage(), e);
        }
    }
}

package io.vigil.server.database;

import io.micronaut.data.exceptions.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are "the database is away, retry" (503) and which are bugs or bad data (not 503). */
class DatabaseFailuresSpec {

    @Test
    void poolTimeoutIsUnavailable() {
        // what Hikari throws when no connection could be made within connection-timeout
        assertTrue(DatabaseFailures.isUnavailable(new DataAccessException("wrapped",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available",
                        new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))));
    }

    @Test
    void brokenConnectionIsUnavailable() {
        assertTrue(DatabaseFailures.isUnavailable(
                new RuntimeException(new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE))));
    }

    @Test
    void serverShuttingDownIsUnavailable() {
        assertTrue(DatabaseFailures.isUnavailable(new SQLException("terminating connection", "57P01")));
        assertTrue(DatabaseFailures.isUnavailable(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void refusedSocketIsUnavailable() {
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException(new ConnectException("Connection refused"))));
    }

    @Test
    void constraintViolationsAndSyntaxErrorsAreNot() {
        assertFalse(DatabaseFailures.isUnavailable(new DataAccessException("x", new SQLException("dup", "23505"))));
        assertFalse(DatabaseFailures.isUnavailable(new SQLException("syntax", "42601")));
        assertFalse(DatabaseFailures.isUnavailable(new IllegalStateException("bug")));
    }

    @Test
    void unlessUnavailableTranslatesOnlyUnavailability() {
        RuntimeException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> DatabaseFailures.unlessUnavailable(() -> {
                    throw bug;
                })));
        assertThrows(DatabaseUnavailableException.class, () -> DatabaseFailures.unlessUnavailable(() -> {
            throw new DataAccessException("x", new SQLTransientConnectionException("timeout"));
        }));
    }
}

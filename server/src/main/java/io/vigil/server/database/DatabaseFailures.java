package io.vigil.server.database;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Tells a database that is down apart from a query that is wrong. Only the first is worth a retry:
 * a 503 for a constraint violation would make an agent resend a poison batch forever.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Runs {@code work}, turning any failure caused by an unreachable database into
     * {@link DatabaseUnavailableException}; other failures pass through unchanged.
     */
    public static <T> T unlessUnavailable(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (isUnavailable(e)) {
                throw new DatabaseUnavailableException(e);
            }
            throw e;
        }
    }

    /** Whether anything in the cause chain says "the database cannot be reached right now". */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException
                    || t instanceof SQLTransientConnectionException // Hikari: no connection within connection-timeout
                    || t instanceof ConnectException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null
                    && "Connection is closed".equals(sql.getMessage())) {
                // Hikari's proxy of a connection that broke mid-statement; Micronaut's clean-up
                // reports this instead of the original I/O error
                return true;
            }
            if (t instanceof java.io.EOFException) {
                return true; // the server closed the socket mid-statement
            }
        }
        return false;
    }

    /** The SQLState of the first {@link SQLException} in the chain, if any. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static boolean isUnavailableState(String state) {
        if (state == null) {
            return false;
        }
        return state.startsWith("08")          // connection exception (refused, broken, failure)
                || state.equals("57P01")       // admin_shutdown
                || state.equals("57P02")       // crash_shutdown
                || state.equals("57P03")       // cannot_connect_now (starting up, recovering)
                || state.equals("53300");      // too_many_connections
    }
}

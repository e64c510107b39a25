package io.vigil.dbconnect;

import java.sql.SQLException;

/**
 * A connection could not be opened. The message is one line naming the database (redacted) and
 * the reason, e.g. {@code cannot connect to postgresql://db1:5432/shop: connection refused by
 * db1:5432 (is the server running and listening there?)}; {@link #reason()} is the part after
 * the colon. Neither ever contains the password.
 */
public final class DatabaseConnectException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String database;

    DatabaseConnectException(ConnectionSettings settings, String reason, Throwable cause) {
        super("cannot connect to " + settings.url().display() + ": " + reason,
                cause instanceof SQLException sql ? sql.getSQLState() : null,
                cause instanceof SQLException sql ? sql.getErrorCode() : 0);
        this.reason = reason;
        this.database = settings.url().display();
        // The driver's exception may quote the URL or the server's words; keep it for the stack
        // trace only when it cannot carry the password (drivers never put it in messages, but a
        // password given in the URL could be echoed back by one).
        if (cause != null && !mentions(cause, settings.password())) {
            initCause(cause);
        }
    }

    /** Why, in one line. */
    public String reason() {
        return reason;
    }

    /** The database, as {@link JdbcUrl#display()} names it. */
    public String database() {
        return database;
    }

    private static boolean mentions(Throwable t, String password) {
        if (password == null || password.isEmpty()) {
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(password)) {
                return true;
            }
        }
        return false;
    }
}

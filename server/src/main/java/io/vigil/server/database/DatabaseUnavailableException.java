package io.vigil.server.database;

/**
 * PostgreSQL could not be reached or refused new work for a reason that passes (connection
 * refused, pool timeout, server shutting down). Answered with 503 and {@code Retry-After}, so an
 * agent keeps its batch and tries again instead of dropping it.
 */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(Throwable cause) {
        super("database unavailable: " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}

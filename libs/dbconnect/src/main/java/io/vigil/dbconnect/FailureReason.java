package io.vigil.dbconnect;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what a JDBC driver threw into one line an operator can act on: what went wrong and,
 * where there is one, what to do next. The text never contains the password: driver messages
 * are redacted as URLs and the password is masked wherever it appears.
 */
public final class FailureReason {

    private static final int MAX_LENGTH = 300;
    private static final Pattern MARIADB_UNKNOWN_DB = Pattern.compile("Unknown database '([^']*)'");
    private static final Pattern PG_MISSING_DB = Pattern.compile("database \"([^\"]*)\" does not exist");

    private FailureReason() {
    }

    /**
     * Whether the failure means the database could not be reached or used at all (network,
     * authentication, missing database, TLS, server shutting down), as opposed to a statement
     * failing on a working connection.
     */
    public static boolean isConnectivity(Throwable error) {
        if (error instanceof DatabaseConnectException) {
            return true;
        }
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || t instanceof java.io.EOFException || t instanceof SSLException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
                        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The one-line reason for {@code error}, given the settings the connection was opened with. */
    public static String describe(Throwable error, ConnectionSettings settings) {
        if (error instanceof DatabaseConnectException connect) {
            return connect.reason();
        }
        return scrub(classify(error, settings), settings.password());
    }

    private static String classify(Throwable error, ConnectionSettings settings) {
        JdbcUrl url = settings.url();
        String where = url.hostAndPort().orElse(url.display());
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + firstLine(t.getMessage()) + " (check the host name in the URL and DNS)";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host " + where;
            }
            if (t instanceof ConnectException) {
                return "connection refused by " + where + " (is the server running and listening there?)";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer from " + where + " within the timeout (connect timeout "
                        + human(settings.connectTimeout()) + ", query timeout " + human(settings.queryTimeout()) + ")";
            }
            if (t instanceof SSLException) {
                return "TLS handshake with " + where + " failed: " + firstLine(t.getMessage());
            }
        }
        String message = firstLine(error.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("ssl not enabled in the server") || lower.contains("server does not support ssl")
                || lower.contains("the server does not support ssl")) {
            return "the server at " + where + " does not offer TLS, which the driver requires by default: "
                    + "enable TLS on the server, or add sslMode=disable (MariaDB) / sslmode=disable (PostgreSQL) "
                    + "to the URL if the network path is trusted";
        }
        if (error instanceof SQLTimeoutException) {
            return "timed out (connect timeout " + human(settings.connectTimeout()) + ", query timeout "
                    + human(settings.queryTimeout()) + "): " + message;
        }
        SQLException sql = firstSql(error);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.startsWith("28") || lower.contains("access denied for user")
                || lower.contains("password authentication failed")) {
            return "authentication failed for user " + (settings.user() == null ? "(none)" : "'" + settings.user() + "'")
                    + " (check the user and password; the password option should point at the right secret)";
        }
        Matcher pgDb = PG_MISSING_DB.matcher(message);
        if (state.equals("3D000") || pgDb.find()) {
            return "database " + (pgDb.find(0) ? "'" + pgDb.group(1) + "' " : "") + "does not exist on " + where;
        }
        Matcher myDb = MARIADB_UNKNOWN_DB.matcher(message);
        if (myDb.find()) {
            return "database '" + myDb.group(1) + "' does not exist on " + where;
        }
        if (state.equals("57014") || lower.contains("max_statement_time exceeded")
                || lower.contains("query execution was interrupted")) {
            return "query cancelled after the query timeout of " + human(settings.queryTimeout());
        }
        if (state.equals("57P03") || state.equals("57P01") || state.equals("57P02")) {
            return "the server is starting up or shutting down: " + message;
        }
        if (state.equals("53300") || lower.contains("too many connections")) {
            return "the server refuses new connections: too many connections";
        }
        if (state.equals("42501") || lower.contains("permission denied") || lower.contains("command denied")) {
            return "permission denied: " + message;
        }
        if (lower.contains("sqlite_cantopen")) {
            return "cannot open the SQLite file (missing, or its directory is not readable): " + message;
        }
        if (lower.contains("sqlite_notadb")) {
            return "the file is not an SQLite database";
        }
        if (lower.contains("sqlite_busy") || lower.contains("database is locked")) {
            return "the SQLite database stayed locked longer than the busy timeout of " + human(settings.connectTimeout());
        }
        if (state.startsWith("08")) {
            return "connection to " + where + " failed: " + message;
        }
        return message.isEmpty() ? error.getClass().getSimpleName() : message;
    }

    private static SQLException firstSql(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        Throwable c = t.getCause();
        return c == t ? null : c;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return nl >= 0 ? line.substring(0, nl).strip() : line;
    }

    static String human(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String scrub(String text, String password) {
        String out = JdbcUrl.redact(text);
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, "****");
        }
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH - 1) + "…" : out;
    }
}

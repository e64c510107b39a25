package io.vigil.dbconnect;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link DatabaseConnector} needs to open a connection. Immutable; {@link #toString()}
 * never shows the password.
 *
 * <pre>{@code
 * ConnectionSettings settings = ConnectionSettings.of("jdbc:postgresql://db1:5432/shop")
 *         .withUser("vigil").withPassword(secret)
 *         .withConnectTimeout(Duration.ofSeconds(10)).withQueryTimeout(Duration.ofSeconds(30))
 *         .withReadOnly(true).withApplicationName("vigil-schema");
 * }</pre>
 *
 * @param url             where to connect
 * @param user            user name, or {@code null} to leave it to the URL (or none, for SQLite)
 * @param password        password, or {@code null}
 * @param connectTimeout  longest wait for the TCP connection and the login
 * @param queryTimeout    longest a statement may run; also bounds a silent socket
 * @param readOnly        open the session read-only (SQLite: open the file read-only and refuse
 *                        a missing file instead of creating it)
 * @param applicationName shown in the server's session list ({@code pg_stat_activity}), or {@code null}
 */
public record ConnectionSettings(JdbcUrl url, String user, String password, Duration connectTimeout,
                                 Duration queryTimeout, boolean readOnly, String applicationName) {

    /** Default wait for a connection: 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default statement time limit: 30 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /** Validates the fields. */
    public ConnectionSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("query timeout must be positive, got " + queryTimeout);
        }
    }

    /** Settings for {@code url} with no credentials, the default timeouts, read-write. */
    public static ConnectionSettings of(String url) {
        return new ConnectionSettings(JdbcUrl.parse(url), null, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_QUERY_TIMEOUT, false, null);
    }

    /** A copy with this user. */
    public ConnectionSettings withUser(String value) {
        return new ConnectionSettings(url, value, password, connectTimeout, queryTimeout, readOnly, applicationName);
    }

    /** A copy with this password. */
    public ConnectionSettings withPassword(String value) {
        return new ConnectionSettings(url, user, value, connectTimeout, queryTimeout, readOnly, applicationName);
    }

    /** A copy with this connect timeout. */
    public ConnectionSettings withConnectTimeout(Duration value) {
        return new ConnectionSettings(url, user, password, value, queryTimeout, readOnly, applicationName);
    }

    /** A copy with this query timeout. */
    public ConnectionSettings withQueryTimeout(Duration value) {
        return new ConnectionSettings(url, user, password, connectTimeout, value, readOnly, applicationName);
    }

    /** A copy, read-only or not. */
    public ConnectionSettings withReadOnly(boolean value) {
        return new ConnectionSettings(url, user, password, connectTimeout, queryTimeout, value, applicationName);
    }

    /** A copy with this application name. */
    public ConnectionSettings withApplicationName(String value) {
        return new ConnectionSettings(url, user, password, connectTimeout, queryTimeout, readOnly, value);
    }

    /** The query timeout in whole seconds, at least 1, for {@link java.sql.Statement#setQueryTimeout}. */
    public int queryTimeoutSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ceilSeconds(queryTimeout)));
    }

    static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /** Everything but the password. */
    @Override
    public String toString() {
        return "ConnectionSettings[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", connectTimeout=" + connectTimeout + ", queryTimeout=" + queryTimeout + ", readOnly=" + readOnly
                + ", applicationName=" + applicationName + "]";
    }
}

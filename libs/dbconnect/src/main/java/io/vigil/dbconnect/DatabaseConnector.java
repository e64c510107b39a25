package io.vigil.dbconnect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC connections for Vigil's database plugins: the driver chosen by the URL, user and
 * password passed as properties (never in the URL), connect and socket timeouts set for every
 * engine, and failures turned into a {@link DatabaseConnectException} whose message is one line
 * an operator can act on.
 *
 * <h2>Why not {@code DriverManager}</h2>
 * A plugin's classes, the drivers it bundles included, live in the plugin's own PF4J class
 * loader. {@code DriverManager} finds drivers once per JVM, with {@code ServiceLoader} over the
 * class loader that first touched it (the agent's), so it never sees a driver inside a plugin
 * jar: {@code getConnection} fails with "No suitable driver". It also refuses a registered driver
 * whose class the caller's loader resolves to a different copy, which is what happens to SQLite
 * (the agent has its own sqlite-jdbc, the plugin loads its bundled one first). Loading the
 * driver class by name through this library's own loader and calling
 * {@link Driver#connect(String, Properties)} on an instance avoids the registry altogether.
 *
 * <h2>Defaults per engine</h2>
 * Parameters the URL sets itself always win; these only fill what the URL leaves out.
 * <ul>
 *   <li>PostgreSQL: {@code connectTimeout}, {@code loginTimeout}, {@code socketTimeout} (query
 *   timeout + 10 s, a backstop for a silent network), {@code tcpKeepAlive=true},
 *   {@code ApplicationName}. TLS follows the URL's {@code sslmode}; pgjdbc's default is
 *   {@code prefer} (TLS when the server offers it, without certificate checks).</li>
 *   <li>MariaDB/MySQL: {@code connectTimeout} and {@code socketTimeout} in milliseconds. TLS
 *   follows the URL's {@code sslMode}; without it Connector/J 4 requires TLS, so a server without
 *   TLS fails with a reason that says to enable it or to add {@code sslMode=disable} for a trusted
 *   network. This library does not turn TLS off on its own: that is the operator's decision,
 *   written in the URL.</li>
 *   <li>SQLite: {@code busy_timeout} = the connect timeout; read-only settings open the file
 *   read-only, and a missing file is refused instead of silently created empty.</li>
 * </ul>
 *
 * <p>Thread-safe; drivers are instantiated once per engine and class loader.
 */
public final class DatabaseConnector {

    private static final Duration SOCKET_BACKSTOP = Duration.ofSeconds(10);
    private static final Map<Engine, Driver> DRIVERS = new EnumMap<>(Engine.class);

    private DatabaseConnector() {
    }

    /**
     * Opens a connection.
     *
     * @throws DatabaseConnectException with a one-line reason (refused, unknown host, timed out,
     *                                  authentication failed, database missing, TLS refused, ...)
     */
    public static Connection open(ConnectionSettings settings) throws DatabaseConnectException {
        JdbcUrl url = settings.url();
        if (url.engine() == Engine.SQLITE && settings.readOnly()) {
            String file = url.sqliteFile().orElse(null);
            if (file != null && !Files.exists(Path.of(file))) {
                throw new DatabaseConnectException(settings, "database file " + file + " does not exist", null);
            }
        }
        Driver driver = driver(url.engine());
        Connection connection;
        try {
            connection = driver.connect(url.driverUrl(), properties(settings));
        } catch (SQLException | RuntimeException e) {
            throw new DatabaseConnectException(settings, FailureReason.describe(e, settings), e);
        }
        if (connection == null) {
            throw new DatabaseConnectException(settings, "driver " + url.engine().driverClass()
                    + " does not accept this URL; check its syntax", null);
        }
        try {
            if (settings.readOnly() && url.engine() != Engine.SQLITE) {
                connection.setReadOnly(true);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new DatabaseConnectException(settings, FailureReason.describe(e, settings), e);
        }
    }

    /**
     * The driver for an engine, instantiated from this library's class loader (so from the
     * plugin's loader when the library is shaded into a plugin).
     *
     * @throws IllegalStateException when the driver is not on the class path: a packaging bug
     */
    public static synchronized Driver driver(Engine engine) {
        return DRIVERS.computeIfAbsent(engine, e -> {
            try {
                Class<?> type = Class.forName(e.driverClass(), true, DatabaseConnector.class.getClassLoader());
                return (Driver) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError ex) {
                throw new IllegalStateException("JDBC driver " + e.driverClass() + " for " + e.scheme()
                        + " is not bundled with this plugin: " + ex, ex);
            }
        });
    }

    /** The connection properties for these settings; URL parameters are left to the URL. */
    static Properties properties(ConnectionSettings settings) {
        JdbcUrl url = settings.url();
        Properties props = new Properties();
        if (settings.user() != null && !settings.user().isEmpty()) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        long connectSeconds = Math.max(1, ConnectionSettings.ceilSeconds(settings.connectTimeout()));
        Duration socket = settings.queryTimeout().plus(SOCKET_BACKSTOP);
        switch (url.engine()) {
            case POSTGRESQL -> {
                putUnlessInUrl(props, url, "connectTimeout", String.valueOf(connectSeconds));
                putUnlessInUrl(props, url, "loginTimeout", String.valueOf(connectSeconds));
                putUnlessInUrl(props, url, "socketTimeout", String.valueOf(ConnectionSettings.ceilSeconds(socket)));
                putUnlessInUrl(props, url, "tcpKeepAlive", "true");
                if (settings.applicationName() != null) {
                    putUnlessInUrl(props, url, "ApplicationName", settings.applicationName());
                }
            }
            case MARIADB -> {
                putUnlessInUrl(props, url, "connectTimeout", String.valueOf(settings.connectTimeout().toMillis()));
                putUnlessInUrl(props, url, "socketTimeout", String.valueOf(socket.toMillis()));
                putUnlessInUrl(props, url, "tcpKeepAlive", "true");
            }
            case SQLITE -> SqliteProperties.fill(props, settings);
        }
        return props;
    }

    private static void putUnlessInUrl(Properties props, JdbcUrl url, String key, String value) {
        if (!url.hasParameter(key)) {
            props.setProperty(key, value);
        }
    }

    /** Closes a connection, ignoring failures (for error paths and shutdown). */
    public static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a broken connection fails; nothing to do about it
            }
        }
    }

    /** Kept apart so that org.sqlite classes load only when a SQLite URL is opened. */
    private static final class SqliteProperties {
        static void fill(Properties props, ConnectionSettings settings) {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
            if (settings.readOnly()) {
                config.setReadOnly(true);
            }
            config.toProperties().forEach((k, v) -> {
                if (!settings.url().hasParameter(k.toString())) {
                    props.put(k, v);
                }
            });
        }
    }
}

package io.vigil.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh, uniquely named PostgreSQL database for one test class, on a real server.
 *
 * <p>Connects to {@value #URL_VARIABLE} (default {@value #DEFAULT_URL}), creates
 * {@code vigil_test_<random>}, hands out its JDBC URL, and drops it on {@link #close()} after
 * terminating whatever is still connected. When PostgreSQL cannot be reached the test fails with a
 * message saying so; it is never skipped.
 *
 * <pre>{@code
 * @MicronautTest
 * @TestInstance(TestInstance.Lifecycle.PER_CLASS)
 * class SomeSpec implements TestPropertyProvider {
 *     final TestPostgres pg = TestPostgres.create();
 *     public Map<String, String> getProperties() { return pg.micronautProperties(); }
 *     @AfterAll void dropDatabase() { pg.close(); }
 * }
 * }</pre>
 */
public final class TestPostgres implements AutoCloseable {

    /** Environment variable (or system property) with the JDBC URL of a database to connect to first. */
    public static final String URL_VARIABLE = "VIGIL_TEST_PG_URL";
    /** Used when {@value #URL_VARIABLE} is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String serverUrl;
    private final String database;
    private final String url;
    private boolean closed;

    private TestPostgres(String serverUrl, String database, String url) {
        this.serverUrl = serverUrl;
        this.database = database;
        this.url = url;
    }

    /**
     * Creates a new database on the server named by {@value #URL_VARIABLE}.
     *
     * @throws IllegalStateException when the server cannot be reached or refuses to create it
     */
    public static TestPostgres create() {
        return create(System.getProperty(URL_VARIABLE, System.getenv().getOrDefault(URL_VARIABLE, DEFAULT_URL)));
    }

    /**
     * Creates a new database on the server of {@code serverUrl}, a JDBC URL of an existing database
     * there (usually {@code postgres}) with the connection parameters to use.
     *
     * @throws IllegalStateException when the server cannot be reached or refuses to create it
     */
    public static TestPostgres create(String serverUrl) {
        Matcher m = JDBC_URL.matcher(serverUrl);
        if (!m.matches()) {
            throw new IllegalStateException(URL_VARIABLE + " must look like " + DEFAULT_URL + ", got "
                    + redact(serverUrl));
        }
        String database = "vigil_test_" + HexFormat.of().formatHex(randomBytes());
        String url = m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(serverUrl); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for the tests is not usable at " + redact(serverUrl) + ": "
                    + e.getMessage() + ". Start PostgreSQL (trust authentication for user postgres on "
                    + "127.0.0.1:5432), or point " + URL_VARIABLE + " at one.", e);
        }
        return new TestPostgres(serverUrl, database, url);
    }

    /** The JDBC URL of the test database, with the same parameters (user, ...) as the server URL. */
    public String jdbcUrl() {
        return url;
    }

    /** The PostgreSQL server's host, as in the URL. */
    public String host() {
        return hostAndPort()[0];
    }

    /** The PostgreSQL server's port, as in the URL (5432 when the URL names none). */
    public int port() {
        String[] hp = hostAndPort();
        return hp.length > 1 ? Integer.parseInt(hp[1]) : 5432;
    }

    /**
     * The JDBC URL of the test database reached through another address, such as a
     * {@link TcpProxy} in front of the server.
     */
    public String jdbcUrlVia(String host, int port) {
        return url.replaceFirst("//[^/]+/", "//" + host + ":" + port + "/");
    }

    private String[] hostAndPort() {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected URL " + redact(url));
        }
        String authority = m.group(1).substring("jdbc:postgresql://".length(), m.group(1).length() - 1);
        return authority.split(":", 2);
    }

    /** The database name, {@code vigil_test_<random>}. */
    public String database() {
        return database;
    }

    /** A new connection to the test database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /**
     * Micronaut properties pointing the default data source at this database, for a
     * {@code TestPropertyProvider}.
     */
    public Map<String, String> micronautProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("datasources.default.url", url);
        p.put("datasources.default.username", "postgres");
        return p;
    }

    /** Terminates the connections still open to the database and drops it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = DriverManager.getConnection(serverUrl)) {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                st.setString(1, database);
                st.execute();
            }
            try (Statement st = c.createStatement()) {
                boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
                st.execute("DROP DATABASE IF EXISTS " + database + (force ? " WITH (FORCE)" : ""));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + database + ": " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "TestPostgres[" + redact(url) + "]";
    }
}

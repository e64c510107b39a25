package io.vigil.dbconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseConnectorTest {

    private static final String PG_DB = TestDatabases.uniqueName("vigil_dbconnect");
    private static final String MARIA_DB = TestDatabases.uniqueName("vigil_dbconnect");

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabases() throws SQLException {
        TestDatabases.createPostgres(PG_DB);
        TestDatabases.createMariadb(MARIA_DB);
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        TestDatabases.dropPostgres(PG_DB);
        TestDatabases.dropMariadb(MARIA_DB);
    }

    @Test
    void postgresqlOpensWithTheDriverFromThisLibrarysOwnClassLoader() throws SQLException {
        try (Connection c = DatabaseConnector.open(ConnectionSettings.of(TestDatabases.postgresUrl(PG_DB))
                .withUser("postgres").withReadOnly(true).withApplicationName("vigil-dbconnect-test"))) {
            assertEquals("vigil-dbconnect-test", scalar(c, "select current_setting('application_name')"));
            assertTrue(c.isReadOnly());
            assertSame(DatabaseConnector.class.getClassLoader(), DatabaseConnector.driver(Engine.POSTGRESQL).getClass()
                    .getClassLoader());
        }
    }

    @Test
    void mariadbOpensWhenTheUrlSaysSslModeDisable() throws SQLException {
        try (Connection c = DatabaseConnector.open(ConnectionSettings.of(TestDatabases.mariadbUrl(MARIA_DB))
                .withUser("root").withPassword(""))) {
            assertEquals(MARIA_DB, scalar(c, "select database()"));
        }
    }

    @Test
    void aMysqlUrlOpensThroughTheMariadbDriver() throws SQLException {
        String url = "jdbc:mysql://" + TestDatabases.MARIADB_HOST + "/" + MARIA_DB + "?sslMode=disable";
        try (Connection c = DatabaseConnector.open(ConnectionSettings.of(url).withUser("root"))) {
            assertEquals(MARIA_DB, scalar(c, "select database()"));
        }
    }

    @Test
    void mariadbWithoutSslModeRequiresTlsAndTheReasonSaysHowToDisableIt() {
        String url = "jdbc:mariadb://" + TestDatabases.MARIADB_HOST + "/" + MARIA_DB;
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of(url).withUser("root")));
        assertEquals("the server at 127.0.0.1:3306 does not offer TLS, which the driver requires by default: enable TLS "
                + "on the server, or add sslMode=disable (MariaDB) / sslmode=disable (PostgreSQL) to the URL if the "
                + "network path is trusted", e.reason());
    }

    @Test
    void aRefusedPortIsOneLineNamingHostAndPort() {
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of("jdbc:postgresql://127.0.0.1:1/x").withUser("postgres")
                        .withConnectTimeout(Duration.ofSeconds(2))));
        assertEquals("cannot connect to postgresql://127.0.0.1:1/x: connection refused by 127.0.0.1:1 "
                + "(is the server running and listening there?)", e.getMessage());
    }

    @Test
    void aWrongMariadbPasswordIsAnAuthenticationFailureThatNeverShowsThePassword() {
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of(TestDatabases.mariadbUrl(MARIA_DB)).withUser("root")
                        .withPassword("Wr0ng-s3cret")));
        assertEquals("authentication failed for user 'root' (check the user and password; the password option should "
                + "point at the right secret)", e.reason());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("Wr0ng-s3cret"), t.toString());
        }
    }

    @Test
    void aMissingPostgresqlDatabaseIsNamed() {
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of(TestDatabases.postgresUrl("vigil_no_such_db"))
                        .withUser("postgres")));
        assertEquals("database 'vigil_no_such_db' does not exist on 127.0.0.1:5432", e.reason());
        assertTrue(FailureReason.isConnectivity(e));
    }

    @Test
    void aMissingMariadbDatabaseIsNamed() {
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of(TestDatabases.mariadbUrl("vigil_no_such_db"))
                        .withUser("root")));
        assertEquals("database 'vigil_no_such_db' does not exist on 127.0.0.1:3306", e.reason());
    }

    @Test
    void aPostgresqlStatementOverTheQueryTimeoutIsCancelledWithThatReason() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.of(TestDatabases.postgresUrl(PG_DB)).withUser("postgres")
                .withQueryTimeout(Duration.ofSeconds(1));
        try (Connection c = DatabaseConnector.open(settings); Statement st = c.createStatement()) {
            st.setQueryTimeout(settings.queryTimeoutSeconds());
            SQLException e = assertThrows(SQLException.class, () -> st.execute("select pg_sleep(5)"));
            assertEquals("query cancelled after the query timeout of 1s", FailureReason.describe(e, settings));
            assertFalse(FailureReason.isConnectivity(e));
        }
    }

    @Test
    void aReadOnlySqliteConnectionRefusesAMissingFileInsteadOfCreatingIt() {
        Path missing = dir.resolve("missing.db");
        DatabaseConnectException e = assertThrows(DatabaseConnectException.class,
                () -> DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + missing).withReadOnly(true)));
        assertEquals("database file " + missing + " does not exist", e.reason());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aReadOnlySqliteConnectionReadsButCannotWrite() throws SQLException {
        Path file = dir.resolve("app.db");
        try (Connection c = DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + file));
             Statement st = c.createStatement()) {
            st.execute("create table t (id integer primary key)");
        }
        try (Connection c = DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + file).withReadOnly(true));
             Statement st = c.createStatement()) {
            assertEquals("t", scalar(c, "select name from sqlite_schema where type = 'table'"));
            SQLException e = assertThrows(SQLException.class, () -> st.execute("create table u (id integer)"));
            assertTrue(e.getMessage().contains("SQLITE_READONLY"), e.getMessage());
        }
    }

    /**
     * Why the library instantiates drivers itself: a class in a plugin's class loader that asks
     * {@code DriverManager} for a connection gets "No suitable driver", because the registry only
     * knows drivers from the agent's class path, and refuses those whose class the caller's
     * loader resolves to another copy. The same class instantiating the driver through its own
     * loader connects.
     */
    @Test
    void aClassInAnIsolatedLoaderGetsNoSuitableDriverFromDriverManagerButConnectsThroughItsOwnLoader()
            throws Exception {
        URL probeClasses = DriverManagerProbe.class.getProtectionDomain().getCodeSource().getLocation();
        URL pgjdbc = org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation();
        String url = TestDatabases.postgresUrl(PG_DB);
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {probeClasses, pgjdbc}, ClassLoader.getPlatformClassLoader())) {
            Class<?> probe = plugin.loadClass(DriverManagerProbe.class.getName());
            Method viaRegistry = probe.getMethod("throughDriverManager", String.class, String.class);
            Method viaOwnLoader = probe.getMethod("throughOwnLoader", String.class, String.class, String.class);

            assertEquals("SQLException: No suitable driver found for " + url, viaRegistry.invoke(null, url, "postgres"));
            assertEquals("PostgreSQL", viaOwnLoader.invoke(null, url, "postgres", Engine.POSTGRESQL.driverClass()));
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

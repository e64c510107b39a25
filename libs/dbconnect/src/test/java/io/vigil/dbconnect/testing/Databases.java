package io.vigil.dbconnect.testing;

import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnectException;
import io.vigil.dbconnect.DatabaseConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The real PostgreSQL and MariaDB the tests run against, reached through the plugin's own
 * connection library. A server that does not answer fails the test with what to start; nothing
 * is skipped.
 */
public final class Databases {

    public static final String PG_HOST = "127.0.0.1:5432";
    public static final String MARIADB_HOST = "127.0.0.1:3306";

    private Databases() {
    }

    public static String postgresUrl(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    public static String mariadbUrl(String database) {
        return "jdbc:mariadb://" + MARIADB_HOST + "/" + database + "?sslMode=disable";
    }

    public static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    public static Connection postgres(String database) {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(postgresUrl(database)).withUser("postgres"));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need PostgreSQL on " + PG_HOST + " accepting user postgres without a "
                    + "password (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    public static Connection mariadb(String database) {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(mariadbUrl(database)).withUser("root").withPassword(""));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need MariaDB on " + MARIADB_HOST + " accepting root with an empty "
                    + "password (.ci/services/mariadb.sh starts it): " + e.getMessage(), e);
        }
    }

    public static void createPostgres(String name) throws SQLException {
        try (Connection c = postgres("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
    }

    public static void dropPostgres(String name) throws SQLException {
        try (Connection c = postgres("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public static void createMariadb(String name) throws SQLException {
        try (Connection c = mariadb(""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
    }

    public static void dropMariadb(String name) throws SQLException {
        try (Connection c = mariadb(""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    /** Runs each statement on its own. */
    public static void exec(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** The first column of the first row. */
    public static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until {@code condition} holds, failing with {@code what} after {@code limit}. Checks
     * every 150 ms: InnoDB's INNODB_TRX cache is refreshed only after 100 ms without a reader.
     */
    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + limit + " waiting for " + what);
            }
            Thread.sleep(150);
        }
    }
}

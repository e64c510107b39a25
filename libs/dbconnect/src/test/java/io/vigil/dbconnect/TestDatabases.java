package io.vigil.dbconnect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real servers the tests use. A server that does not answer fails the test with what to
 * start; it never skips.
 */
final class TestDatabases {

    static final String PG_HOST = "127.0.0.1:5432";
    static final String MARIADB_HOST = "127.0.0.1:3306";

    private TestDatabases() {
    }

    static String postgresUrl(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    static String mariadbUrl(String database) {
        return "jdbc:mariadb://" + MARIADB_HOST + "/" + database + "?sslMode=disable";
    }

    static Connection postgresAdmin() {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(postgresUrl("postgres")).withUser("postgres"));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need PostgreSQL on " + PG_HOST + " accepting user postgres without "
                    + "a password (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    static Connection mariadbAdmin() {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(mariadbUrl("")).withUser("root").withPassword(""));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need MariaDB on " + MARIADB_HOST + " accepting root with an empty "
                    + "password (.ci/services/mariadb.sh starts it): " + e.getMessage(), e);
        }
    }

    static void createPostgres(String name) throws SQLException {
        try (Connection c = postgresAdmin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
    }

    static void dropPostgres(String name) throws SQLException {
        try (Connection c = postgresAdmin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static void createMariadb(String name) throws SQLException {
        try (Connection c = mariadbAdmin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
    }

    static void dropMariadb(String name) throws SQLException {
        try (Connection c = mariadbAdmin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }
}

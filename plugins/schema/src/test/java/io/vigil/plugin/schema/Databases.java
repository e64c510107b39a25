package io.vigil.plugin.schema;

import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnectException;
import io.vigil.dbconnect.DatabaseConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real PostgreSQL and MariaDB the tests run against. A server that does not answer fails the
 * test with what to start; nothing is skipped.
 */
final class Databases {

    static final String PG_HOST = "127.0.0.1:5432";
    static final String MARIADB_HOST = "127.0.0.1:3306";

    private Databases() {
    }

    static String postgresUrl(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    static String mariadbUrl(String database) {
        return "jdbc:mariadb://" + MARIADB_HOST + "/" + database + "?sslMode=disable";
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    static Connection postgres(String database) {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(postgresUrl(database)).withUser("postgres"));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need PostgreSQL on " + PG_HOST + " accepting user postgres without a "
                    + "password (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    static Connection mariadb(String database) {
        try {
            return DatabaseConnector.open(ConnectionSettings.of(mariadbUrl(database)).withUser("root").withPassword(""));
        } catch (DatabaseConnectException e) {
            throw new AssertionError("these tests need MariaDB on " + MARIADB_HOST + " accepting root with an empty "
                    + "password (.ci/services/mariadb.sh starts it): " + e.getMessage(), e);
        }
    }

    static void createPostgres(String name) throws SQLException {
        try (Connection c = postgres("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
    }

    static void dropPostgres(String name) throws SQLException {
        try (Connection c = postgres("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static void createMariadb(String name) throws SQLException {
        try (Connection c = mariadb(""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
    }

    static void dropMariadb(String name) throws SQLException {
        try (Connection c = mariadb(""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    /** Runs each statement on its own; for DDL in tests. */
    static void exec(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}

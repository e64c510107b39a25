package io.vigil.dbconnect;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Properties;

/**
 * Loaded by an isolated class loader in {@link DatabaseConnectorTest} to stand for a class inside
 * a PF4J plugin: it may use only the JDK and the driver jar next to it.
 */
public final class DriverManagerProbe {

    private DriverManagerProbe() {
    }

    /** What a plugin that calls {@code DriverManager} directly gets: the product name, or the error text. */
    public static String throughDriverManager(String url, String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        try (Connection c = DriverManager.getConnection(url, props)) {
            return c.getMetaData().getDatabaseProductName();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** What {@link DatabaseConnector} does: instantiate the driver through this class's own loader. */
    public static String throughOwnLoader(String url, String user, String driverClass) {
        Properties props = new Properties();
        props.setProperty("user", user);
        try {
            Driver driver = (Driver) Class.forName(driverClass, true, DriverManagerProbe.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            try (Connection c = driver.connect(url, props)) {
                return c.getMetaData().getDatabaseProductName();
            }
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}

package io.vigil.dbconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    @Test
    void toStringNeverShowsThePassword() {
        ConnectionSettings s = ConnectionSettings.of("jdbc:postgresql://db1/shop?password=inurl").withUser("vigil")
                .withPassword("s3cr3t");
        assertFalse(s.toString().contains("s3cr3t"), s.toString());
        assertFalse(s.toString().contains("inurl"), s.toString());
    }

    @Test
    void postgresqlGetsTimeoutsInSecondsAndKeepalive() {
        Properties p = DatabaseConnector.properties(ConnectionSettings.of("jdbc:postgresql://db1/shop")
                .withUser("vigil").withPassword("pw").withConnectTimeout(Duration.ofMillis(2500))
                .withQueryTimeout(Duration.ofSeconds(30)).withApplicationName("vigil-test"));
        assertEquals("vigil", p.getProperty("user"));
        assertEquals("pw", p.getProperty("password"));
        assertEquals("3", p.getProperty("connectTimeout"));
        assertEquals("3", p.getProperty("loginTimeout"));
        assertEquals("40", p.getProperty("socketTimeout"));
        assertEquals("true", p.getProperty("tcpKeepAlive"));
        assertEquals("vigil-test", p.getProperty("ApplicationName"));
        assertNull(p.getProperty("sslmode"), "TLS is left to the URL");
    }

    @Test
    void mariadbGetsTimeoutsInMillisecondsAndNoTlsDecision() {
        Properties p = DatabaseConnector.properties(ConnectionSettings.of("jdbc:mariadb://db1/shop")
                .withConnectTimeout(Duration.ofSeconds(5)).withQueryTimeout(Duration.ofSeconds(20)));
        assertEquals("5000", p.getProperty("connectTimeout"));
        assertEquals("30000", p.getProperty("socketTimeout"));
        assertNull(p.getProperty("sslMode"), "the driver's default (TLS) or the URL's sslMode applies");
        assertNull(p.getProperty("user"));
    }

    @Test
    void parametersInTheUrlWinOverTheDefaults() {
        Properties p = DatabaseConnector.properties(ConnectionSettings.of("jdbc:mariadb://db1/shop?socketTimeout=1234"));
        assertNull(p.getProperty("socketTimeout"));
        assertEquals("10000", p.getProperty("connectTimeout"));
    }

    @Test
    void sqliteReadOnlyOpensTheFileReadOnlyWithABusyTimeout() {
        Properties p = DatabaseConnector.properties(ConnectionSettings.of("jdbc:sqlite:/tmp/x.db").withReadOnly(true)
                .withConnectTimeout(Duration.ofSeconds(4)));
        assertEquals("4000", p.getProperty("busy_timeout"));
        // SQLITE_OPEN_READONLY (1) | SQLITE_OPEN_URI (64), without SQLITE_OPEN_CREATE (4)
        assertEquals("65", p.getProperty("open_mode"));
    }
}

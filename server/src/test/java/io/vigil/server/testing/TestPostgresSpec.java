package io.vigil.server.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestPostgresSpec {

    @Test
    void createsAFreshDatabaseAndDropsItOnCloseEvenWithConnectionsOpen() throws SQLException {
        TestPostgres pg = TestPostgres.create();
        assertTrue(pg.database().matches("vigil_test_[0-9a-f]{12}"), pg.database());
        Connection stillOpen = pg.connect();
        try (var st = stillOpen.createStatement(); ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            assertEquals(pg.database(), rs.getString(1));
        }

        pg.close();

        assertFalse(exists(pg.database()));
        assertTrue(stillOpen.isClosed() || !stillOpen.isValid(1));
    }

    @Test
    void twoInstancesGetDifferentDatabases() {
        try (TestPostgres a = TestPostgres.create(); TestPostgres b = TestPostgres.create()) {
            assertFalse(a.database().equals(b.database()));
        }
    }

    @Test
    void unreachableServerFailsWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestPostgres.create("jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=secret"));

        assertTrue(e.getMessage().startsWith("PostgreSQL for the tests is not usable at "
                + "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=***: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("or point VIGIL_TEST_PG_URL at one."), e.getMessage());
    }

    private static boolean exists(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestPostgres.DEFAULT_URL);
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}

package io.vigil.server.database;

import io.vigil.server.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MigrationSpec {

    @Test
    void eventsAndSamplesStoredBeforePartitioningMoveIntoDayPartitions() throws Exception {
        try (TestPostgres pg = TestPostgres.create()) {
            flyway(pg, "1").migrate();
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO agents (name, token_hash) VALUES ('old', repeat('a', 64))");
                st.execute("INSERT INTO events (id, time, agent_id, type, severity) VALUES "
                        + "('0190f5a2-0000-7000-8000-000000000001', '2025-01-15T10:00:00Z', 1, 'x.y', 3), "
                        + "('0190f5a2-0000-7000-8000-000000000002', '2025-01-16T10:00:00Z', 1, 'x.y', 0)");
                st.execute("INSERT INTO metric_series (name) VALUES ('x.y')");
                st.execute("INSERT INTO metric_samples VALUES (1, '2025-01-15T10:00:00Z', 1.5)");
            }

            flyway(pg, "latest").migrate();

            try (Connection c = pg.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT tableoid::regclass::text, severity FROM events ORDER BY time")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getInt(2));
                }
                assertEquals(List.of("events_p20250115:3", "events_p20250116:0"), rows);
            }
            try (Connection c = pg.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT tableoid::regclass::text, value FROM metric_samples")) {
                rs.next();
                assertEquals("metric_samples_p20250115", rs.getString(1));
                assertEquals(1.5, rs.getDouble(2));
            }
        }
    }

    private static Flyway flyway(TestPostgres pg, String target) {
        return Flyway.configure().dataSource(pg.jdbcUrl(), "postgres", null).locations("classpath:db/migration")
                .target(target).load();
    }
}

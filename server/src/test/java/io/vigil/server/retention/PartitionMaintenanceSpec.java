package io.vigil.server.retention;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class PartitionMaintenanceSpec extends ServerSpec {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @Inject
    PartitionMaintenance maintenance;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.retention.events", "30d", "vigil.retention.metric-samples", "7d",
                "vigil.partitions.days-ahead", "3");
    }

    @Test
    void startUpCreatesDayPartitionsFromYesterdayToDaysAhead() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (String table : List.of("events", "metric_samples")) {
            List<String> expected = new ArrayList<>();
            for (int d = -1; d <= 3; d++) {
                expected.add(table + "_p" + DAY.format(today.plusDays(d)));
            }
            List<String> partitions = partitions(table);
            assertTrue(partitions.containsAll(expected), partitions + " lacks some of " + expected);
            assertTrue(partitions.contains(table + "_default"), partitions.toString());
        }
    }

    @Test
    void retentionDropsWholeExpiredPartitionsAndKeepsRecentData() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = "events_p" + DAY.format(today.minusDays(40));
        String oldSamples = "metric_samples_p" + DAY.format(today.minusDays(10));
        execute("SELECT vigil_create_day_partition('events', (now() AT TIME ZONE 'UTC')::date - 40)");
        execute("SELECT vigil_create_day_partition('metric_samples', (now() AT TIME ZONE 'UTC')::date - 10)");
        insertEvent("old", today.minusDays(40).atTime(12, 0).toInstant(ZoneOffset.UTC));
        insertEvent("recent", Instant.now().minusSeconds(60));
        execute("INSERT INTO metric_samples VALUES (1, now() - interval '10 days', 1), (1, now(), 2)");
        assertTrue(partitions("events").contains(old));

        PartitionMaintenance.Report report = maintenance.run(Instant.now());

        assertTrue(report.dropped().containsAll(List.of(old, oldSamples)), report.toString());
        assertFalse(partitions("events").contains(old));
        assertFalse(partitions("metric_samples").contains(oldSamples));
        assertEquals(List.of("recent"), titles());
        assertEquals(1, count("SELECT count(*) FROM metric_samples"));
    }

    @Test
    void anEventOlderThanEveryPartitionIsKeptInTheDefaultPartitionUntilItExpires() {
        Instant longAgo = Instant.now().minus(java.time.Duration.ofDays(20));
        Map<String, Object> backlog = event(Map.of("title", "from a long outage", "time", longAgo.toString()));

        assertEquals(200, ingest(events(backlog)).status());

        assertEquals("events_default", queryOne("SELECT tableoid::regclass::text AS part FROM events WHERE id = ?::uuid",
                backlog.get("id")).get("part"));
        assertEquals(0, maintenance.run(longAgo.plus(java.time.Duration.ofDays(29))).deletedDefaultRows());
        assertEquals(1, maintenance.run(longAgo.plus(java.time.Duration.ofDays(31))).deletedDefaultRows());
        assertEquals(0, count("SELECT count(*) FROM events WHERE id = ?::uuid", backlog.get("id")));
    }

    @Test
    void aDayPartitionCreatedLateTakesOverItsRowsFromTheDefaultPartition() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        String partition = "events_p" + DAY.format(day);
        execute("DROP TABLE " + partition);
        insertEvent("early arrival", day.atTime(8, 0).toInstant(ZoneOffset.UTC)); // lands in events_default

        PartitionMaintenance.Report report = maintenance.run(Instant.now());

        assertTrue(report.created().contains(partition), report.toString());
        assertEquals(partition, queryOne("SELECT tableoid::regclass::text AS part FROM events WHERE title = 'early arrival'")
                .get("part"));
        assertEquals(0, count("SELECT count(*) FROM events_default"));
    }

    @Test
    void aRunIsSkippedWhileAnotherServerHoldsTheMaintenanceLock() throws Exception {
        try (Connection other = pg.connect();
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, PartitionMaintenance.LOCK_KEY);
            lock.execute();

            PartitionMaintenance.Report report = maintenance.run(Instant.now());

            assertTrue(report.skipped(), report.toString());
            // Released explicitly: closing the connection frees the lock only when the backend
            // has exited, which may be after close() returns, and the next run would race it.
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, PartitionMaintenance.LOCK_KEY);
                unlock.execute();
            }
        }
        assertFalse(maintenance.run(Instant.now()).skipped());
    }

    private void insertEvent(String title, Instant time) {
        try (Connection c = pg.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO events (id, time, agent_id, type, severity, title) VALUES (gen_random_uuid(), ?, 1, 'x.y', 0, ?)")) {
            st.setObject(1, time.atOffset(ZoneOffset.UTC));
            st.setString(2, title);
            st.executeUpdate();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> titles() {
        return query("SELECT title FROM events ORDER BY time").stream().map(r -> (String) r.get("title")).toList();
    }

    private List<String> partitions(String table) {
        return query("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = ?::regclass ORDER BY 1", table).stream().map(r -> (String) r.get("relname")).toList();
    }
}

package io.vigil.server.healthlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import io.vigil.server.retention.PartitionMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's own components, sampled for real against PostgreSQL, and the samples' partitions. */
@MicronautTest(transactional = false)
class ServerHealthSamplerSpec extends ServerSpec {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @Inject
    ServerHealthSampler sampler;
    @Inject
    PartitionMaintenance maintenance;
    @Inject
    MeterRegistry meters;

    @Override
    protected Map<String, String> extraProperties() {
        // the schedule never fires during the test: each one runs the sampler itself
        return Map.of("vigil.health.enabled", "true", "vigil.health.interval", "1h", "vigil.instance-id", "spec-1",
                "vigil.health.outbox-backlog-threshold", "2", "vigil.retention.health-samples", "3d",
                "vigil.partitions.days-ahead", "3");
    }

    @BeforeEach
    void clean() {
        execute("TRUNCATE health_samples, component_status, events, notifications CASCADE");
    }

    @Test
    void oneRunStoresASampleOfTheDatabaseOutboxIngestAndJvmWithARealRoundTrip() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        sampler.run(now);

        List<Map<String, Object>> rows = query("""
                SELECT component, kind, status, interval_ms, db_round_trip_ms, outbox_backlog, error_count, cpu,
                       memory_bytes FROM health_samples WHERE time = ? ORDER BY component""",
                java.sql.Timestamp.from(now));
        assertEquals(List.of("server/spec-1/database", "server/spec-1/ingest", "server/spec-1/jvm",
                "server/spec-1/outbox"), rows.stream().map(r -> r.get("component")).toList());
        rows.forEach(r -> {
            assertEquals("server", r.get("kind"));
            assertEquals(0, r.get("status"), r.toString());
            assertEquals(3_600_000L, r.get("interval_ms"));
        });
        double roundTrip = (Double) rows.get(0).get("db_round_trip_ms");
        assertTrue(roundTrip > 0 && roundTrip < 5000, "a measured SELECT 1: " + roundTrip);
        assertEquals(0L, rows.get(1).get("error_count"));
        assertTrue((Long) rows.get(2).get("memory_bytes") > 0);
        assertNull(rows.get(2).get("db_round_trip_ms"));
        assertEquals(0L, rows.get(3).get("outbox_backlog"));
        assertEquals(4, count("SELECT count(*) FROM component_status WHERE status = 0"));
    }

    @Test
    void anOutboxBacklogOverTheThresholdIsDegradedAndEmitsOneEvent() {
        sampler.run(Instant.now());
        // pending, waiting for their next attempt (backing off): the dispatcher leaves them alone
        for (int i = 0; i < 3; i++) {
            execute("""
                    INSERT INTO notifications (created_at, channel, channel_type, kind, title, payload, state,
                                               next_attempt_at)
                    VALUES (now(), 'ops', 'webhook', 'firing', 'disk full', '{}', 'pending', now() + interval '1 hour')""");
        }

        sampler.run(Instant.now());
        sampler.run(Instant.now());

        Map<String, Object> status = queryOne("SELECT status, reason FROM component_status WHERE component = ?",
                "server/spec-1/outbox");
        assertEquals(1, status.get("status"));
        assertEquals("outbox backlog 3 notifications, over 2", status.get("reason"));
        List<Map<String, Object>> events = query("SELECT type, subject, attributes->>'reason' AS reason FROM events");
        assertEquals(1, events.size(), events.toString());
        assertEquals("server.component.degraded", events.get(0).get("type"));
        assertEquals("server/spec-1/outbox", events.get(0).get("subject"));
        assertEquals("outbox backlog 3 notifications, over 2", events.get(0).get("reason"));
    }

    @Test
    void batchesRefusedBetweenTwoSamplesMakeIngestDegradedForThatSampleOnly() {
        sampler.run(Instant.now());
        // a refusal for overload cannot be provoked on demand: count one the way IngestController does
        Counter.builder("vigil.ingest.batches").tag("outcome", "busy").register(meters).increment(2);

        sampler.run(Instant.now());
        Map<String, Object> degraded = queryOne("SELECT c.status, c.reason, h.error_count FROM component_status c "
                + "JOIN health_samples h USING (component) WHERE component = ? AND h.time = c.last_sample_at",
                "server/spec-1/ingest");
        sampler.run(Instant.now());

        assertEquals(1, degraded.get("status"));
        assertEquals("batches refused since the previous sample: 2 busy", degraded.get("reason"));
        assertEquals(2L, degraded.get("error_count"));
        assertEquals(0, queryOne("SELECT status FROM component_status WHERE component = ?", "server/spec-1/ingest")
                .get("status"));
    }

    @Test
    void prometheusShowsTheSamplersFigures() {
        sampler.run(Instant.now());

        Response r = get("/prometheus", null);

        assertEquals(200, r.status());
        assertTrue(r.body().contains("vigil_health_samples_total{outcome=\"stored\"}"), r.body());
        assertTrue(r.body().contains("vigil_health_outbox_backlog 0.0"), r.body());
        assertTrue(r.body().lines().anyMatch(l -> l.startsWith("vigil_health_database_round_trip_ms ")
                && !l.endsWith("NaN")), r.body());
    }

    @Test
    void healthSamplesAreKeptInDayPartitionsThatMaintenanceCreatesAndDrops() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = "health_samples_p" + DAY.format(today.minusDays(5));
        execute("SELECT vigil_create_day_partition('health_samples', (now() AT TIME ZONE 'UTC')::date - 5)");

        PartitionMaintenance.Report report = maintenance.run(Instant.now());
        sampler.run(Instant.now());

        List<String> partitions = query("""
                SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
                 WHERE i.inhparent = 'health_samples'::regclass""").stream().map(r -> (String) r.get("relname")).toList();
        for (int d = -1; d <= 3; d++) {
            String day = "health_samples_p" + DAY.format(today.plusDays(d));
            assertTrue(partitions.contains(day), partitions + " lacks " + day);
        }
        assertTrue(report.dropped().contains(old), "older than vigil.retention.health-samples (3d): " + report);
        assertFalse(partitions.contains(old));
        assertEquals(0, count("SELECT count(*) FROM health_samples_default"), "today's samples are in today's partition");
        assertEquals(4, count("SELECT count(*) FROM ONLY health_samples_p" + DAY.format(today)));
    }
}

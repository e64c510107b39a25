package io.vigil.server.healthlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this server's own components every {@code vigil.health.interval} (30 s) and then checks
 * every component for silence ({@link HealthLog#checkSilence}):
 * <ul>
 *   <li>{@code server/<instance>/database}: the round trip of {@code SELECT 1} on a pooled
 *       connection; degraded above {@code vigil.health.database-slow}, down (with the error) when it
 *       fails. A down database cannot store its own sample: the gap then counts as down anyway.</li>
 *   <li>{@code server/<instance>/outbox}: notifications pending or being sent (the alerting outbox,
 *       V20); degraded above {@code vigil.health.outbox-backlog-threshold}.</li>
 *   <li>{@code server/<instance>/ingest}: batches this server refused as busy, unavailable or
 *       failed since the previous sample (the ingest counters); degraded when there were any.</li>
 *   <li>{@code server/<instance>/jvm}: process CPU and heap; degraded when the heap in use is above
 *       {@code vigil.health.heap-degraded-ratio} of its maximum.</li>
 * </ul>
 * Prometheus: {@code vigil_health_database_round_trip_ms}, {@code vigil_health_outbox_backlog},
 * {@code vigil_health_samples_total{outcome="stored"|"failed"}}.
 */
@Singleton
@Requires(property = "vigil.health.enabled", notEquals = "false")
public class ServerHealthSampler {

    private static final Logger LOG = LoggerFactory.getLogger(ServerHealthSampler.class);
    private static final List<String> REFUSED = List.of("busy", "unavailable", "error");

    private final HealthLog log;
    private final ConnectionPool pool;
    private final ServerInstance instance;
    private final HealthSettings settings;
    private final MeterRegistry meters;
    private final Counter stored;
    private final Counter failed;
    private final AtomicLong roundTripMicros = new AtomicLong(-1);
    private final AtomicLong outboxBacklog = new AtomicLong(-1);
    /** Ingest counters at the previous sample, by outcome: the first sample only sets them. */
    private final Map<String, Long> previousRefused = new HashMap<>();
    private boolean lastRunFailed;

    ServerHealthSampler(HealthLog log, ConnectionPool pool, ServerInstance instance, HealthSettings settings,
                        MeterRegistry meters) {
        this.log = log;
        this.pool = pool;
        this.instance = instance;
        this.settings = settings;
        this.meters = meters;
        this.stored = Counter.builder("vigil.health.samples").tag("outcome", "stored")
                .description("health samples of this server's components, by outcome").register(meters);
        this.failed = Counter.builder("vigil.health.samples").tag("outcome", "failed")
                .description("health samples of this server's components, by outcome").register(meters);
        Gauge.builder("vigil.health.database.round.trip.ms", roundTripMicros, v -> v.get() < 0 ? Double.NaN : v.get() / 1000.0)
                .description("the last SELECT 1 round trip of the health sampler, ms").register(meters);
        Gauge.builder("vigil.health.outbox.backlog", outboxBacklog, v -> v.get() < 0 ? Double.NaN : v.get())
                .description("notifications pending or being sent at the last health sample").register(meters);
    }

    @Scheduled(fixedDelay = "${vigil.health.interval:30s}", initialDelay = "${vigil.health.interval:30s}")
    void scheduled() {
        run(Instant.now());
    }

    /** Takes and stores one sample of each component, then checks all components for silence. */
    public synchronized List<HealthSample> run(Instant now) {
        List<HealthSample> samples = List.of(database(now), outbox(now), ingest(now), jvm(now));
        List<HealthSample> done = new ArrayList<>();
        RuntimeException failure = null;
        for (HealthSample s : samples) {
            try {
                log.record(s);
                stored.increment();
                done.add(s);
            } catch (RuntimeException e) {
                failed.increment();
                failure = e;
            }
        }
        try {
            log.checkSilence(now);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null && !lastRunFailed) {
            // once per outage, not every interval: the database's own state says the rest
            LOG.warn("health samples could not be stored (the gap counts as down): {}", failure.getMessage());
        }
        lastRunFailed = failure != null;
        return done;
    }

    HealthSample database(Instant now) {
        String component = instance.component("database");
        long start = System.nanoTime();
        try (Connection c = pool.open(); PreparedStatement st = c.prepareStatement("SELECT 1")) {
            st.setQueryTimeout((int) Math.max(1, settings.getInterval().toSeconds()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
            }
            long micros = (System.nanoTime() - start) / 1000;
            roundTripMicros.set(micros);
            double ms = micros / 1000.0;
            boolean slow = ms > settings.getDatabaseSlow().toNanos() / 1e6;
            return sample(now, component, slow ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                    slow ? "SELECT 1 took " + ms + " ms, over " + settings.getDatabaseSlow().toMillis() + " ms" : "",
                    null, null, null, null, ms);
        } catch (SQLException | RuntimeException e) {
            roundTripMicros.set(-1);
            String state = DatabaseFailures.sqlState(e).map(s -> " (SQLState " + s + ")").orElse("");
            return sample(now, component, HealthStatus.DOWN, "SELECT 1 failed" + state + ": " + e.getMessage(),
                    null, null, null, null, null);
        }
    }

    HealthSample outbox(Instant now) {
        String component = instance.component("outbox");
        try {
            long backlog = pool.with(c -> {
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT count(*) FROM notifications WHERE state IN ('pending', 'sending')");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            outboxBacklog.set(backlog);
            long threshold = settings.getOutboxBacklogThreshold();
            boolean behind = backlog > threshold;
            return sample(now, component, behind ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                    behind ? "outbox backlog " + backlog + " notifications, over " + threshold : "",
                    null, null, null, backlog, null);
        } catch (RuntimeException e) {
            outboxBacklog.set(-1);
            return sample(now, component, HealthStatus.DOWN, "outbox backlog unreadable: " + e.getMessage(),
                    null, null, null, null, null);
        }
    }

    HealthSample ingest(Instant now) {
        long refused = 0;
        List<String> parts = new ArrayList<>();
        for (String outcome : REFUSED) {
            long total = (long) Search.in(meters).name("vigil.ingest.batches").tag("outcome", outcome).counters()
                    .stream().mapToDouble(Counter::count).sum();
            Long before = previousRefused.put(outcome, total);
            long n = before == null ? 0 : total - before;
            if (n > 0) {
                refused += n;
                parts.add(n + " " + outcome);
            }
        }
        return sample(now, instance.component("ingest"), refused > 0 ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                refused > 0 ? "batches refused since the previous sample: " + String.join(", ", parts) : "",
                null, null, refused, null, null);
    }

    HealthSample jvm(Instant now) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuLoad();
        }
        double ratio = heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : 0;
        boolean full = ratio > settings.getHeapDegradedRatio();
        return sample(now, instance.component("jvm"), full ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
                full ? String.format(java.util.Locale.ROOT, "heap %.0f%% of its maximum in use", ratio * 100) : "",
                cpu >= 0 ? cpu : null, heap.getUsed(), null, null, null);
    }

    private HealthSample sample(Instant now, String component, HealthStatus status, String reason, Double cpu,
                                Long memory, Long errors, Long backlog, Double roundTripMs) {
        return new HealthSample(now, component, HealthSample.Kind.SERVER, null, status, reason, settings.getInterval(),
                null, cpu, memory, errors, null, backlog, roundTripMs);
    }
}

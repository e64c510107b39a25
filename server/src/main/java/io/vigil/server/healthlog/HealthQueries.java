package io.vigil.server.healthlog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Reads component health: the current status of every component, one component's samples over a
 * range, and availability over a window.
 *
 * <p><b>Availability</b> of a component over a window {@code [from, until)}:
 * <ul>
 *   <li>its counted window starts at {@code from} or at its first sample ever
 *       ({@code component_status.first_seen_at}), whichever is later: time before a component
 *       existed is not an outage;</li>
 *   <li>each sample covers {@code [its time, the next sample's time)}, but at most twice its
 *       interval (the agent's heartbeat interval, or {@code vigil.health.interval}), clipped to the
 *       counted window; its status is the status of that time;</li>
 *   <li>time no sample covers is <em>silent</em> and counts as down;</li>
 *   <li>{@code up_pct} = (healthy + degraded) / counted window, {@code healthy_pct} = healthy /
 *       counted window, both in percent; the seconds of each status and of silence are reported
 *       too, so {@code healthy + degraded + down + silent = window}.</li>
 * </ul>
 */
@Singleton
public class HealthQueries {

    /** How far before a window to look for the sample that covers its start: twice the longest interval. */
    static final Duration LOOKBACK = HealthSample.MAX_INTERVAL.multipliedBy(2);

    private final ConnectionPool pool;

    HealthQueries(ConnectionPool pool) {
        this.pool = pool;
    }

    /** A sample as the API shows it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SampleView(Instant time, String status, String reason, long intervalMs, @Nullable Double latencyMs,
                             @Nullable Double cpu, @Nullable Long memoryBytes, @Nullable Long errorCount,
                             @Nullable Long spoolDepth, @Nullable Long outboxBacklog, @Nullable Double dbRoundTripMs) {
    }

    /**
     * A component's current status.
     *
     * @param status        effective status: the last sample's, or down once silent
     * @param since         when it entered that status
     * @param silent        no sample for twice its interval
     * @param ageSeconds    seconds since its last sample
     * @param lastSample    the last sample (null when it has been dropped by retention)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record ComponentView(String component, String kind, @Nullable Long agentId, @Nullable String agent,
                                String status, String reason, Instant since, Instant lastSampleAt, double ageSeconds,
                                boolean silent, long intervalMs, @Nullable SampleView lastSample) {
    }

    /** Availability of one component over a window (see the class comment for the definition). */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Availability(String component, String kind, @Nullable Long agentId, @Nullable String agent,
                               Instant from, Instant until, double countedSeconds, double healthySeconds,
                               double degradedSeconds, double downSeconds, double silentSeconds,
                               @Nullable Double upPct, @Nullable Double healthyPct) {
    }

    /** Every component with its current status at {@code now}, by name. */
    public List<ComponentView> current(Instant now) {
        return pool.with(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT s.component, s.kind, s.agent_id, a.name, s.status, s.reason, s.since, s.last_sample_at,
                           s.interval_ms, h.time, h.status, h.reason, h.interval_ms, h.latency_ms, h.cpu,
                           h.memory_bytes, h.error_count, h.spool_depth, h.outbox_backlog, h.db_round_trip_ms
                      FROM component_status s
                      LEFT JOIN agents a ON a.id = s.agent_id
                      LEFT JOIN LATERAL (SELECT * FROM health_samples h
                                          WHERE h.component = s.component AND h.time = s.last_sample_at) h ON true
                     ORDER BY s.component""")) {
                List<ComponentView> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Instant last = instant(rs, 8);
                        long interval = rs.getLong(9);
                        SampleView sample = rs.getObject(10) == null ? null : sample(rs, 10);
                        out.add(new ComponentView(rs.getString(1), rs.getString(2), rs.getObject(3, Long.class),
                                rs.getString(4), HealthStatus.ofCode(rs.getInt(5)).wireName(), rs.getString(6),
                                instant(rs, 7), last, Duration.between(last, now).toMillis() / 1000.0,
                                last.plusMillis(2 * interval).isBefore(now), interval, sample));
                    }
                }
                return out;
            }
        });
    }

    /** Whether {@code component} has a status row. */
    public boolean exists(String component) {
        return pool.with(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM component_status WHERE component = ?")) {
                st.setString(1, component);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * The samples of {@code component} in {@code [since, until)}, oldest first, at most
     * {@code limit}. With a {@code step}, one row per step instead: the worst status of the step
     * with the reason of its latest worst sample, the mean latency, CPU and round trip, the highest
     * memory, error count, spool depth and backlog; its time is the step's start.
     */
    public List<SampleView> history(String component, Instant since, Instant until, int limit,
                                    @Nullable Duration step) {
        Sql sql;
        if (step == null) {
            sql = new Sql("""
                    SELECT time, status, reason, interval_ms, latency_ms, cpu, memory_bytes, error_count, spool_depth,
                           outbox_backlog, db_round_trip_ms
                      FROM health_samples WHERE component = ? AND time >= ? AND time < ?
                     ORDER BY time LIMIT ?""", component, Sql.utc(since), Sql.utc(until), limit);
        } else {
            sql = new Sql("""
                    SELECT date_bin(?::interval, time, ?) AS bucket, max(status),
                           (array_agg(reason ORDER BY status DESC, time DESC))[1], max(interval_ms), avg(latency_ms),
                           avg(cpu), max(memory_bytes), max(error_count), max(spool_depth), max(outbox_backlog),
                           avg(db_round_trip_ms)
                      FROM health_samples WHERE component = ? AND time >= ? AND time < ?
                     GROUP BY bucket ORDER BY bucket LIMIT ?""",
                    step.toMillis() + " milliseconds", Sql.utc(since), component, Sql.utc(since), Sql.utc(until), limit);
        }
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, 0); ResultSet rs = st.executeQuery()) {
                List<SampleView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(sample(rs, 1));
                }
                return out;
            }
        });
    }

    /**
     * Availability over {@code [until - window, until)} of every component, or of one when
     * {@code component} is not null: those with a current status and those with samples in the
     * window, by name.
     */
    public List<Availability> availability(Instant until, Duration window, @Nullable String component) {
        Instant from = until.minus(window);
        return pool.with(c -> {
            Map<String, Availability> components = new LinkedHashMap<>();
            Sql list = new Sql("""
                    SELECT x.component, x.kind, x.agent_id, a.name, x.start FROM (
                        SELECT component, kind, agent_id, first_seen_at AS start FROM component_status
                        UNION ALL
                        SELECT component, min(kind), max(agent_id), min(time) FROM health_samples h
                         WHERE time >= ? AND time < ?
                           AND NOT EXISTS (SELECT 1 FROM component_status s WHERE s.component = h.component)
                         GROUP BY component) x
                      LEFT JOIN agents a ON a.id = x.agent_id""", Sql.utc(from.minus(LOOKBACK)), Sql.utc(until));
            if (component != null) {
                list.add(" WHERE x.component = ?", component);
            }
            list.add(" ORDER BY x.component");
            Map<String, Instant> starts = new LinkedHashMap<>();
            try (PreparedStatement st = list.prepare(c, 0); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant start = instant(rs, 5);
                    starts.put(rs.getString(1), start.isAfter(from) ? start : from);
                    components.put(rs.getString(1), new Availability(rs.getString(1), rs.getString(2),
                            rs.getObject(3, Long.class), rs.getString(4), from, until, 0, 0, 0, 0, 0, null, null));
                }
            }
            Map<String, Map<HealthStatus, Double>> covered = new LinkedHashMap<>();
            Sql segments = new Sql("""
                    SELECT component, status, sum(extract(epoch FROM hi - lo)) FROM (
                        SELECT component, status, greatest(time, ?) AS lo,
                               least(coalesce(lead(time) OVER (PARTITION BY component ORDER BY time), ?),
                                     time + interval_ms * interval '2 milliseconds', ?) AS hi
                          FROM health_samples WHERE time >= ? AND time < ?""",
                    Sql.utc(from), Sql.utc(until), Sql.utc(until), Sql.utc(from.minus(LOOKBACK)), Sql.utc(until));
            if (component != null) {
                segments.add(" AND component = ?", component);
            }
            segments.add(") seg WHERE hi > lo GROUP BY component, status");
            try (PreparedStatement st = segments.prepare(c, 0); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    covered.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(HealthStatus.class))
                            .put(HealthStatus.ofCode(rs.getInt(2)), rs.getBigDecimal(3).doubleValue());
                }
            }
            List<Availability> out = new ArrayList<>();
            components.forEach((name, a) -> out.add(complete(a, starts.get(name), until,
                    covered.getOrDefault(name, Map.of()))));
            return out;
        });
    }

    private static Availability complete(Availability a, Instant start, Instant until, Map<HealthStatus, Double> covered) {
        double counted = Math.max(0, Duration.between(start, until).toNanos() / 1e9);
        double healthy = covered.getOrDefault(HealthStatus.HEALTHY, 0.0);
        double degraded = covered.getOrDefault(HealthStatus.DEGRADED, 0.0);
        double down = covered.getOrDefault(HealthStatus.DOWN, 0.0);
        double silent = Math.max(0, counted - healthy - degraded - down);
        Double up = counted > 0 ? (healthy + degraded) * 100 / counted : null;
        Double healthyPct = counted > 0 ? healthy * 100 / counted : null;
        return new Availability(a.component(), a.kind(), a.agentId(), a.agent(), a.from(), a.until(), counted, healthy,
                degraded, down, silent, up, healthyPct);
    }

    private static SampleView sample(ResultSet rs, int at) throws SQLException {
        return new SampleView(instant(rs, at), HealthStatus.ofCode(rs.getInt(at + 1)).wireName(), rs.getString(at + 2),
                rs.getLong(at + 3), rs.getObject(at + 4, Double.class), rs.getObject(at + 5, Double.class),
                number(rs, at + 6), number(rs, at + 7), number(rs, at + 8), number(rs, at + 9),
                rs.getObject(at + 10, Double.class));
    }

    private static @Nullable Long number(ResultSet rs, int at) throws SQLException {
        Object v = rs.getObject(at);
        return v == null ? null : ((Number) v).longValue();
    }

    private static Instant instant(ResultSet rs, int at) throws SQLException {
        return rs.getObject(at, OffsetDateTime.class).toInstant();
    }
}

package io.vigil.plugin.dbperf;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import io.vigil.dbconnect.Engine;
import io.vigil.dbconnect.FailureReason;
import io.vigil.dbconnect.JdbcUrl;
import io.vigil.plugin.dbperf.check.Check;
import io.vigil.plugin.dbperf.check.CheckTracker;
import io.vigil.plugin.dbperf.check.LatencyWindow;
import io.vigil.plugin.dbperf.check.Observation;
import io.vigil.plugin.dbperf.check.SizeHistory;
import io.vigil.plugin.dbperf.check.Thresholds;
import io.vigil.plugin.dbperf.collect.CollectRequest;
import io.vigil.plugin.dbperf.collect.Collector;
import io.vigil.plugin.dbperf.collect.DatabaseSelection;
import io.vigil.plugin.dbperf.collect.Reading;
import io.vigil.plugin.dbperf.rate.CounterRates;
import io.vigil.plugin.dbperf.state.StateRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Collects one server's (or SQLite file's) statistics every interval, emits them as metrics,
 * derives rates from counters and raises threshold events on crossing and recovery.
 *
 * <h2>One poll</h2>
 * On its kept connection (SQLite: a fresh one each poll, the file may be replaced) the monitor
 * opens one read-only transaction, times the probe query ({@code SELECT 1}), lets the engine's
 * {@link Collector} read the statistics views, and commits: the whole collection is one
 * transaction on the server, and its wall time is the monitor's own overhead, reported as
 * {@code dbperf.collection.duration} and as a share of the interval and, where the server
 * measures it, of the database's busy time.
 *
 * <h2>Failures</h2>
 * A server that cannot be reached is reported once as {@code dbperf.unreachable} and once as
 * {@code dbperf.reachable} when it is back; the poll returns normally meanwhile. A kept
 * connection that went stale (server restart, idle timeout) is replaced once within the same poll
 * before the server counts as unreachable. A statistics query refused on a working connection
 * fails the poll with a one-line reason, so the agent counts and reports it.
 *
 * <p>Threading: {@link #poll()} runs on an agent worker, never concurrently with itself;
 * {@link #close()} may come from the control thread and closes the connection.
 */
final class DbPerfMonitor implements PolledMonitor {

    static final String REACHABILITY_KEY = "reachability";
    static final String INTEGRITY_KEY = "integrity";

    /**
     * How often the costlier parts run, and the windows of the checks.
     *
     * @param sizeInterval       measure sizes at most this often (zero: every poll)
     * @param quickCheckInterval SQLite quick_check at most this often (zero: never)
     * @param latencyWindow      window of the probe latency percentile
     * @param growthWindow       window of the size growth
     * @param growthMinBytes     growth smaller than this never counts as exceeded
     */
    record Schedule(Duration sizeInterval, Duration quickCheckInterval, Duration latencyWindow,
                    Duration growthWindow, long growthMinBytes) {
    }

    private final MonitorContext ctx;
    private final ConnectionSettings settings;
    private final DatabaseSelection selection;
    private final Schedule schedule;
    private final Collector collector;
    private final Engine engine;
    private final String server;
    private final CounterRates rates;
    private final SizeHistory sizes;
    private final LatencyWindow latency;
    private final CheckTracker checks;
    private final Set<String> loggedNotes = new HashSet<>();
    private Connection connection;
    private Instant lastSizes;
    private Instant lastQuickCheck;
    private double lastServerTime = Double.NaN;
    private volatile boolean closed;

    DbPerfMonitor(MonitorContext ctx, ConnectionSettings settings, DatabaseSelection selection, Thresholds thresholds,
                  Schedule schedule) {
        this.ctx = ctx;
        this.settings = settings;
        this.selection = selection;
        this.schedule = schedule;
        JdbcUrl url = settings.url();
        this.engine = url.engine();
        this.collector = Collector.forUrl(url);
        this.server = engine == Engine.SQLITE ? url.display()
                : engine.scheme() + "://" + url.hostAndPort().orElse("localhost");
        this.rates = new CounterRates(ctx.state());
        this.sizes = new SizeHistory(ctx.state(), schedule.growthWindow());
        this.latency = new LatencyWindow(schedule.latencyWindow());
        this.checks = new CheckTracker(ctx.state(), thresholds, server, engine.scheme(), this::subject,
                ctx.emitter()::emit);
    }

    /** The server as the {@code server} label and event subjects name it. */
    String server() {
        return server;
    }

    /** The event subject for a database, or for the server when {@code database} is null. */
    String subject(String database) {
        return database == null || engine == Engine.SQLITE ? server : server + "/" + database;
    }

    @Override
    public void poll() throws Exception {
        Instant now = ctx.clock().instant();
        boolean measureSizes = lastSizes == null || !now.isBefore(lastSizes.plus(schedule.sizeInterval()));
        boolean quickCheck = !schedule.quickCheckInterval().isZero()
                && (lastQuickCheck == null || !now.isBefore(lastQuickCheck.plus(schedule.quickCheckInterval())));
        CollectRequest request = new CollectRequest(selection, measureSizes, quickCheck, settings.queryTimeoutSeconds());
        Collected collected;
        try {
            collected = collect(request);
        } catch (SQLException e) {
            if (closed || Thread.currentThread().isInterrupted()) {
                return; // stopped or timed out mid-way: the failure is ours, not the database's
            }
            String reason = FailureReason.describe(e, settings);
            if (FailureReason.isConnectivity(e)) {
                unreachable(reason, now);
                return;
            }
            throw new IllegalStateException("collecting statistics of " + server + " failed: " + reason);
        }
        if (measureSizes) {
            lastSizes = now;
        }
        if (quickCheck) {
            lastQuickCheck = now;
        }
        reachable(now);
        Reading r = collected.reading();
        for (String note : r.notes()) {
            if (loggedNotes.add(note)) {
                ctx.logger().warn("{}: {}", server, note);
            }
        }
        List<Observation> observations = new ArrayList<>();
        emitActivity(r, now, observations);
        double busySeconds = emitRates(r, now, observations);
        emitSizes(r, now, observations);
        emitProbeAndOverhead(collected, r, busySeconds, now, observations);
        r.gauges().forEach(g -> metric(g.name(), g.value(), g.unit(), g.database(), g.labels(), now));
        if (r.integrity() != null) {
            integrity(r.integrity(), now);
        }
        checks.evaluate(observations, now);
        checks.forgetAllBut(r.databases(), now);
        rates.retainOnly(r.counters().keySet());
        rates.flush();
        if (r.sizes() != null) {
            sizes.retainOnly(r.databases());
        }
        lastServerTime = r.serverTime();
    }

    private record Collected(Reading reading, double probeSeconds, double collectionSeconds) {
    }

    /** Collects on the kept connection, replacing it once if it went stale. */
    private Collected collect(CollectRequest request) throws SQLException {
        boolean reused = connection != null;
        try {
            return collectOn(connection(), request);
        } catch (SQLException e) {
            closeConnection();
            if (reused && !closed && FailureReason.isConnectivity(e)) {
                ctx.logger().debug("kept connection to {} failed ({}); opening a new one", server, e.getMessage());
                return collectOn(connection(), request);
            }
            throw e;
        } finally {
            if (engine == Engine.SQLITE) {
                closeConnection();
            }
        }
    }

    private Collected collectOn(Connection c, CollectRequest request) throws SQLException {
        long started = System.nanoTime();
        try {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(settings.queryTimeoutSeconds());
                st.executeQuery("SELECT 1").close();
            }
            double probe = (System.nanoTime() - started) / 1e9;
            Reading reading = collector.collect(c, request);
            c.commit();
            return new Collected(reading, probe, (System.nanoTime() - started) / 1e9);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; it is closed by the caller
            }
            throw e;
        }
    }

    private synchronized Connection connection() throws SQLException {
        if (closed) {
            throw new SQLException("monitor closed");
        }
        if (connection == null) {
            Connection c = DatabaseConnector.open(settings);
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                DatabaseConnector.closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private synchronized void closeConnection() {
        DatabaseConnector.closeQuietly(connection);
        connection = null;
    }

    private void emitActivity(Reading r, Instant now, List<Observation> observations) {
        if (r.connections() != null) {
            long total = r.connections().total();
            long max = r.connections().max();
            metric("dbperf.connections.total", total, "", null, Map.of(), now);
            metric("dbperf.connections.max", max, "", null, Map.of(), now);
            if (max > 0) {
                double pct = total * 100.0 / max;
                metric("dbperf.connections.used_pct", pct, "percent", null, Map.of(), now);
                observations.add(new Observation(Check.CONNECTIONS, null, pct,
                        details("connections", total, "max", max)));
            }
        }
        r.activity().forEach((db, a) -> {
            metric("dbperf.connections", a.active(), "", db, Map.of("state", "active"), now);
            metric("dbperf.connections", a.idle(), "", db, Map.of("state", "idle"), now);
            metric("dbperf.connections", a.idleInTransaction(), "", db, Map.of("state", "idle_in_transaction"), now);
            metric("dbperf.connections", a.other(), "", db, Map.of("state", "other"), now);
            if (a.connectionLimit() > 0) {
                double pct = a.total() * 100.0 / a.connectionLimit();
                metric("dbperf.connections.max", a.connectionLimit(), "", db, Map.of(), now);
                metric("dbperf.connections.used_pct", pct, "percent", db, Map.of(), now);
                observations.add(new Observation(Check.CONNECTIONS, db, pct,
                        details("connections", a.total(), "max", a.connectionLimit())));
            }
            metric("dbperf.transaction.longest", a.longestTransaction(), "seconds", db, Map.of(), now);
            metric("dbperf.query.longest", a.longestQuery(), "seconds", db, Map.of(), now);
            metric("dbperf.locks.waiting", a.lockWaits(), "", db, Map.of(), now);
            metric("dbperf.locks.longest_wait", a.longestLockWait(), "seconds", db, Map.of(), now);
            observations.add(new Observation(Check.TRANSACTION_AGE, db, a.longestTransaction(),
                    details("longest_query_seconds", a.longestQuery(), "idle_in_transaction", a.idleInTransaction())));
        });
    }

    /** Emits what the counters give; returns the server's busy seconds over the interval, or NaN. */
    private double emitRates(Reading r, Instant now, List<Observation> observations) {
        double busy = Double.NaN;
        for (Map.Entry<String, Reading.CounterSet> e : r.counters().entrySet()) {
            String db = e.getKey().equals(Reading.SERVER) ? null : e.getKey();
            CounterRates.Outcome outcome = rates.update(e.getKey(), e.getValue(), r.serverTime());
            if (outcome instanceof CounterRates.Reset reset) {
                ctx.logger().info("counters of {} restarted from zero, this interval has no rates: {}", subject(db),
                        reset.reason());
                continue;
            }
            if (!(outcome instanceof CounterRates.Deltas d)) {
                continue;
            }
            d.rate("commits", "rollbacks").ifPresent(v -> metric("dbperf.transactions.rate", v, "per_second", db, Map.of(), now));
            d.rate("rollbacks").ifPresent(v -> metric("dbperf.rollbacks.rate", v, "per_second", db, Map.of(), now));
            d.rate("queries").ifPresent(v -> metric("dbperf.queries.rate", v, "per_second", db, Map.of(), now));
            d.rate("temp_bytes").ifPresent(v -> metric("dbperf.temp.bytes_rate", v, "bytes_per_second", db, Map.of(), now));
            d.rate("temp_disk_tables").ifPresent(v -> metric("dbperf.temp.disk_tables_rate", v, "per_second", db, Map.of(), now));
            d.rate("statements").ifPresent(v -> metric("dbperf.statements.rate", v, "per_second", db, Map.of(), now));
            if (d.delta("statements").orElse(0) > 0 && d.delta("busy_ms").isPresent()) {
                metric("dbperf.statements.avg_latency", d.delta("busy_ms").getAsLong() / 1000.0
                        / d.delta("statements").getAsLong(), "seconds", db, Map.of(), now);
            }
            if (d.delta("busy_ms").isPresent()) {
                double seconds = d.delta("busy_ms").getAsLong() / 1000.0;
                metric("dbperf.busy_time.rate", seconds / d.seconds(), "seconds_per_second", db, Map.of(), now);
                busy = (Double.isNaN(busy) ? 0 : busy) + seconds;
            }
            long lookups = d.delta("cache_lookups").orElse(0);
            if (lookups > 0 && d.delta("cache_misses").isPresent()) {
                metric("dbperf.cache.hit_ratio", 100.0 * (lookups - d.delta("cache_misses").getAsLong()) / lookups,
                        "percent", db, Map.of(), now);
            }
            d.delta("deadlocks").ifPresent(n -> {
                metric("dbperf.deadlocks", n, "", db, Map.of(), now);
                observations.add(new Observation(Check.DEADLOCKS, db, n,
                        details("interval_seconds", Math.round(d.seconds()))));
            });
            d.delta("checkpoints_timed").ifPresent(n -> metric("dbperf.checkpoints", n, "", db, Map.of("trigger", "timed"), now));
            d.delta("checkpoints_requested").ifPresent(n -> metric("dbperf.checkpoints", n, "", db, Map.of("trigger", "requested"), now));
            d.rate("buffers_checkpoint").ifPresent(v -> metric("dbperf.buffers_written.rate", v, "per_second", db, Map.of("by", "checkpoint"), now));
            d.rate("buffers_clean").ifPresent(v -> metric("dbperf.buffers_written.rate", v, "per_second", db, Map.of("by", "bgwriter"), now));
            d.rate("buffers_backend").ifPresent(v -> metric("dbperf.buffers_written.rate", v, "per_second", db, Map.of("by", "backend"), now));
        }
        return busy;
    }

    private void emitSizes(Reading r, Instant now, List<Observation> observations) {
        if (r.sizes() == null) {
            return;
        }
        r.sizes().forEach((db, bytes) -> {
            metric("dbperf.size", bytes, "bytes", db, Map.of(), now);
            sizes.record(db, bytes, now).ifPresent(g -> {
                metric("dbperf.size.growth_rate", g.bytesPerHour(), "bytes_per_hour", db, Map.of(), now);
                if (!Double.isNaN(g.pct())) {
                    metric("dbperf.size.growth_pct", g.pct(), "percent", db, Map.of(), now);
                    observations.add(new Observation(Check.SIZE_GROWTH, db, g.pct(),
                            details("bytes", g.bytes(), "baseline_bytes", g.baselineBytes(),
                                    "baseline_time", g.baselineTime().toString(), "grown_bytes", g.grownBytes(),
                                    "window_seconds", schedule.growthWindow().toSeconds()),
                            g.grownBytes() >= schedule.growthMinBytes()));
                }
            });
        });
    }

    private void emitProbeAndOverhead(Collected c, Reading r, double busySeconds, Instant now,
                                      List<Observation> observations) {
        metric("dbperf.probe.latency", c.probeSeconds(), "seconds", null, Map.of(), now);
        latency.add(now, c.probeSeconds());
        OptionalDouble p95 = latency.p95(now);
        if (p95.isPresent()) {
            metric("dbperf.probe.latency_p95", p95.getAsDouble(), "seconds", null, Map.of(), now);
            observations.add(new Observation(Check.PROBE_LATENCY, null, p95.getAsDouble(),
                    details("samples", latency.size(), "window_seconds", schedule.latencyWindow().toSeconds(),
                            "last_seconds", c.probeSeconds())));
        }
        metric("dbperf.collection.duration", c.collectionSeconds(), "seconds", null, Map.of(), now);
        double elapsed = r.serverTime() - lastServerTime;
        if (elapsed > 0) {
            metric("dbperf.collection.interval_share", c.collectionSeconds() * 100 / elapsed, "percent", null, Map.of(), now);
        }
        if (busySeconds > 0) {
            metric("dbperf.collection.busy_share", Math.min(100, c.collectionSeconds() * 100 / busySeconds), "percent",
                    null, Map.of(), now);
        }
    }

    private void integrity(Reading.Integrity result, Instant now) {
        metric("dbperf.sqlite.quick_check", result.ok() ? 1 : 0, "", "main", Map.of(), now);
        boolean failedBefore = ctx.state().get(INTEGRITY_KEY).isPresent();
        if (!result.ok() && !failedBefore) {
            ctx.emitter().emit(Event.builder("dbperf.integrity.failed")
                    .severity(Severity.CRITICAL)
                    .time(now)
                    .subject(server)
                    .title("PRAGMA quick_check found problems in " + server + ": " + result.problems().get(0))
                    .fingerprint("dbperf:" + server + ":integrity")
                    .attribute("server", server)
                    .attribute("engine", engine.scheme())
                    .attribute("problems", result.problems())
                    .attribute("check_seconds", result.seconds())
                    .build());
            ctx.state().put(INTEGRITY_KEY, StateRecord.encode(Map.of("since", now.toString())));
        } else if (result.ok() && failedBefore) {
            ctx.emitter().emit(Event.builder("dbperf.integrity.ok")
                    .severity(Severity.INFO)
                    .time(now)
                    .subject(server)
                    .title("PRAGMA quick_check finds " + server + " sound again")
                    .fingerprint("dbperf:" + server + ":integrity")
                    .attribute("server", server)
                    .attribute("engine", engine.scheme())
                    .attribute("check_seconds", result.seconds())
                    .build());
            ctx.state().remove(INTEGRITY_KEY);
        }
    }

    private void unreachable(String reason, Instant now) {
        metric("dbperf.up", 0, "", null, Map.of(), now);
        if (ctx.state().get(REACHABILITY_KEY).isPresent()) {
            ctx.logger().debug("{} still unreachable: {}", server, reason);
            return;
        }
        ctx.emitter().emit(Event.builder("dbperf.unreachable")
                .severity(Severity.HIGH)
                .time(now)
                .subject(server)
                .title(server + " is unreachable: " + reason)
                .fingerprint("dbperf:" + server + ":reachability")
                .attribute("server", server)
                .attribute("engine", engine.scheme())
                .attribute("reason", reason)
                .build());
        ctx.state().put(REACHABILITY_KEY, StateRecord.encode(Map.of("since", now.toString(), "reason", reason)));
        ctx.logger().warn("{} is unreachable: {}; reported once, trying again every interval", server, reason);
    }

    private void reachable(Instant now) {
        metric("dbperf.up", 1, "", null, Map.of(), now);
        String down = ctx.state().get(REACHABILITY_KEY).orElse(null);
        if (down == null) {
            return;
        }
        Instant since = now;
        try {
            since = Instant.parse(StateRecord.decode(down).get("since"));
        } catch (RuntimeException ignored) {
            // an unreadable record still means it was down
        }
        ctx.emitter().emit(Event.builder("dbperf.reachable")
                .severity(Severity.INFO)
                .time(now)
                .subject(server)
                .title(server + " is reachable again")
                .fingerprint("dbperf:" + server + ":reachability")
                .attribute("server", server)
                .attribute("engine", engine.scheme())
                .attribute("unreachable_since", since.toString())
                .attribute("down_seconds", Duration.between(since, now).toSeconds())
                .build());
        ctx.state().remove(REACHABILITY_KEY);
        ctx.logger().info("{} is reachable again", server);
    }

    private void metric(String name, double value, String unit, String database, Map<String, String> labels,
                        Instant now) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("server", server);
        if (database != null) {
            all.put("database", database);
        }
        ctx.emitter().emit(new MetricSample(name, value, unit, all, now));
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        closeConnection();
    }
}

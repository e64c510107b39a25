package io.vigil.plugin.schema;

import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import io.vigil.dbconnect.FailureReason;
import io.vigil.plugin.schema.baseline.BaselineStore;
import io.vigil.plugin.schema.catalog.CatalogReader;
import io.vigil.plugin.schema.catalog.Scope;
import io.vigil.plugin.schema.diff.Change;
import io.vigil.plugin.schema.diff.SchemaDiff;
import io.vigil.plugin.schema.immediate.DdlListener;
import io.vigil.plugin.schema.immediate.PostgresEventTrigger;
import io.vigil.plugin.schema.snapshot.CanonicalJson;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Snapshots one database's schema, compares it with the baseline in the state store, and emits
 * what changed.
 *
 * <h2>Threading</h2>
 * A {@link PolledMonitor}: the agent calls {@link #poll()} every interval on a worker thread. In
 * immediate mode (PostgreSQL) a {@link DdlListener} thread also asks for a check as soon as DDL
 * commits. Both go through {@link #check()}, which holds a lock, so there is never more than one
 * snapshot and one baseline update at a time, and the polled schedule stays the safety net for
 * whatever the listener misses (while reconnecting, for DDL that fires no event trigger).
 * A streaming monitor would have had to re-implement the schedule, the agent's timeout and
 * overlap handling, and would have had to be polled anyway for MariaDB and SQLite.
 *
 * <h2>Failures</h2>
 * A database that cannot be reached is not a failed poll: it is reported once as
 * {@code schema.unreachable} and once as {@code schema.reachable} when it is back, and the poll
 * returns normally. Anything else (a catalog query refused, a bug) fails the poll with a
 * one-line reason, so the agent counts and reports it.
 */
final class SchemaMonitor implements PolledMonitor {

    static final String REACHABILITY_KEY = "reachability";
    static final String IMMEDIATE_KEY = "immediate";

    private final MonitorContext ctx;
    private final ConnectionSettings settings;
    private final Scope scope;
    private final boolean immediate;
    private final CatalogReader catalog;
    private final BaselineStore baselines;
    private final SchemaEvents events;
    private final String database;
    private final String scopeFingerprint;
    private final Map<String, String> labels;
    private final ReentrantLock lock = new ReentrantLock();
    private DdlListener listener;
    private volatile boolean closed;

    SchemaMonitor(MonitorContext ctx, ConnectionSettings settings, Scope scope, boolean immediate) {
        this.ctx = ctx;
        this.settings = settings;
        this.scope = scope;
        this.immediate = immediate;
        this.catalog = CatalogReader.forEngine(settings.url().engine());
        this.baselines = new BaselineStore(ctx.state());
        this.database = settings.url().display();
        this.events = new SchemaEvents(ctx.pluginId(), database, settings.url().engine().scheme());
        this.scopeFingerprint = database + ";" + scope.fingerprint();
        this.labels = Map.of("database", database);
    }

    @Override
    public void poll() throws Exception {
        boolean reachable = check();
        if (reachable && immediate && !closed) {
            ensureListener();
        }
    }

    /**
     * Takes a snapshot and compares it with the baseline; serialised between the poll and the
     * listener thread.
     *
     * @return whether the database could be reached
     */
    boolean check() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            return checkLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean checkLocked() {
        if (closed) {
            return false;
        }
        Instant now = ctx.clock().instant();
        long started = System.nanoTime();
        Snapshot snapshot;
        try (Connection c = DatabaseConnector.open(settings)) {
            snapshot = catalog.read(c, scope, settings.queryTimeoutSeconds());
        } catch (SQLException e) {
            if (closed || Thread.currentThread().isInterrupted()) {
                // stopped or timed out mid-way: the failure is ours, not the database's
                return false;
            }
            String reason = FailureReason.describe(e, settings);
            if (FailureReason.isConnectivity(e)) {
                unreachable(reason, now);
                return false;
            }
            throw new IllegalStateException("reading the schema of " + database + " failed: " + reason);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        reachable(now);
        emitMetrics(snapshot, seconds, now);

        Optional<BaselineStore.Baseline> baseline = baselines.load();
        if (baseline.isEmpty() || !baseline.get().scope().equals(scopeFingerprint)) {
            String reason = baseline.isEmpty() ? "first snapshot" : "database or include/exclude options changed";
            ctx.emitter().emit(events.baseline(snapshot, reason, seconds, now));
            baselines.save(snapshot, scopeFingerprint, now);
            ctx.logger().info("schema baseline of {} recorded ({}): {} objects, hash {}", database, reason,
                    snapshot.objects().size(), snapshot.hash());
            return true;
        }
        Snapshot before = baseline.get().snapshot();
        if (before.hash().equals(snapshot.hash())) {
            return true;
        }
        List<Change> changes = SchemaDiff.between(before, snapshot);
        if (!changes.isEmpty()) {
            // emitted before the baseline moves: a crash in between repeats the event, never loses it
            ctx.emitter().emit(events.changed(before, snapshot, changes, now));
            ctx.logger().info("schema of {} changed: {} changes, highest {}", database, changes.size(),
                    SchemaDiff.highestRisk(changes).wireName());
        }
        baselines.save(snapshot, scopeFingerprint, now);
        return true;
    }

    private void unreachable(String reason, Instant now) {
        ctx.emitter().emit(new MetricSample("schema.up", 0, "", labels, now));
        if (ctx.state().get(REACHABILITY_KEY).isPresent()) {
            ctx.logger().debug("{} still unreachable: {}", database, reason);
            return;
        }
        ctx.emitter().emit(events.unreachable(reason, now));
        ctx.state().put(REACHABILITY_KEY, CanonicalJson.write(Map.of("since", now.toString(), "reason", reason)));
        ctx.logger().warn("{} is unreachable: {}; reported once, checking again every interval", database, reason);
    }

    @SuppressWarnings("unchecked")
    private void reachable(Instant now) {
        ctx.emitter().emit(new MetricSample("schema.up", 1, "", labels, now));
        Optional<String> down = ctx.state().get(REACHABILITY_KEY);
        if (down.isEmpty()) {
            return;
        }
        Instant since = now;
        try {
            since = Instant.parse((String) ((Map<String, Object>) CanonicalJson.parse(down.get())).get("since"));
        } catch (RuntimeException ignored) {
            // an unreadable record still means it was down; report it as down until now
        }
        ctx.emitter().emit(events.reachable(since, now));
        ctx.state().remove(REACHABILITY_KEY);
        ctx.logger().info("{} is reachable again", database);
    }

    private void emitMetrics(Snapshot snapshot, double seconds, Instant now) {
        ctx.emitter().emit(new MetricSample("schema.snapshot_duration", seconds, "seconds", labels, now));
        snapshot.counts().forEach((kind, count) -> ctx.emitter().emit(new MetricSample("schema.objects",
                ((Long) count).doubleValue(), "", Map.of("database", database, "kind", kind), now)));
    }

    /** Starts the DDL listener when it is not running; reports once when immediate mode is not possible. */
    private synchronized void ensureListener() {
        if (listener != null && listener.isRunning()) {
            return;
        }
        if (listener != null) {
            listener.close();
            listener = null;
        }
        DdlListener candidate = new DdlListener(settings.withReadOnly(false), this::checkAfterDdl, ctx.logger());
        DdlListener.Outcome outcome = candidate.start();
        String previous = ctx.state().get(IMMEDIATE_KEY).orElse("");
        if (outcome instanceof DdlListener.Outcome.Active) {
            listener = candidate;
            if (!previous.equals("active")) {
                ctx.state().put(IMMEDIATE_KEY, "active");
            }
            ctx.logger().info("immediate mode for {}: listening on channel {}", database, PostgresEventTrigger.CHANNEL);
        } else if (outcome instanceof DdlListener.Outcome.Unavailable unavailable) {
            String record = "unavailable: " + unavailable.reason();
            if (!previous.equals(record)) {
                ctx.emitter().emit(events.immediateUnavailable(unavailable.reason(), ctx.clock().instant()));
                ctx.state().put(IMMEDIATE_KEY, record);
                ctx.logger().warn("immediate mode for {} is unavailable, polling every interval instead: {}",
                        database, unavailable.reason());
            }
        }
        // Unreachable: the next poll reports it and tries again
    }

    private void checkAfterDdl() {
        if (closed) {
            return;
        }
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ctx.logger().warn("schema check after DDL on {} failed: {}", database, e.getMessage());
        }
    }

    /** Whether the DDL listener is running (for tests). */
    synchronized boolean listening() {
        return listener != null && listener.isRunning();
    }

    @Override
    public void close() {
        closed = true;
        DdlListener l;
        synchronized (this) {
            l = listener;
            listener = null;
        }
        if (l != null) {
            l.close();
        }
    }
}

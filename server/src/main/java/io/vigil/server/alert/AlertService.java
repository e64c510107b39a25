package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every change of an alert goes through here, each in one transaction together with what the
 * {@link AlertChangeListener}s (routing, escalation) write for it: a new alert and its outbox
 * notifications commit together or not at all.
 *
 * <p>Deduplication is the database's: at most one open alert per (rule, fingerprint) (a partial
 * unique index), and a signal for an open alert only raises its count and last-seen time. That
 * holds across server replicas evaluating the same data.
 */
@Singleton
public class AlertService {

    /** Longest comment or resolution text kept. */
    public static final int MAX_COMMENT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    private final TransactionOperations<Connection> transactions;
    private final List<AlertChangeListener> listeners;
    private final AlertRows rows;
    private final Clock clock;
    private final MeterRegistry meters;

    AlertService(TransactionOperations<Connection> transactions, List<AlertChangeListener> listeners, JsonMapper json,
                 @Named("alerting") Clock clock, MeterRegistry meters) {
        this.transactions = transactions;
        this.listeners = listeners;
        this.rows = new AlertRows(json);
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Records signals, in one transaction: each opens a new alert or repeats the open one.
     *
     * @return the changes (only new alerts; repeats are not changes)
     */
    public List<AlertChange> fire(List<AlertSignal> signals) {
        if (signals.isEmpty()) {
            return List.of();
        }
        List<AlertChange> changes = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<AlertChange> out = new ArrayList<>();
            for (AlertSignal s : signals) {
                fire(c, s).ifPresent(out::add);
            }
            return out;
        }));
        for (AlertChange change : changes) {
            Alert a = change.alert();
            meters.counter("vigil.alerts.fired", "rule", a.ruleId(), "severity", a.severity().wireName()).increment();
            LOG.atInfo().addKeyValue("alert_id", a.id()).addKeyValue("rule", a.ruleId())
                    .addKeyValue("severity", a.severity().wireName())
                    .setMessage("alert {} fired: [{}] {}").addArgument(a.id())
                    .addArgument(a.severity().wireName()).addArgument(a.title()).log();
        }
        return changes;
    }

    private Optional<AlertChange> fire(Connection c, AlertSignal s) throws SQLException {
        Alert alert;
        boolean inserted;
        String actor = "rule:" + s.ruleId();
        // one round trip: the alert (new, or a repeat of the open one), its event, its audit line
        try (PreparedStatement st = c.prepareStatement("""
                WITH a AS (
                    INSERT INTO alerts (rule_id, rule_kind, fingerprint, state, severity, title, message, labels, count,
                                        first_seen_at, last_seen_at, value)
                    VALUES (?, ?, ?, 'firing', ?, ?, ?, ?::jsonb, 1, ?, ?, ?)
                    ON CONFLICT (rule_id, fingerprint) WHERE state <> 'resolved'
                    DO UPDATE SET count = alerts.count + 1,
                                  last_seen_at = GREATEST(alerts.last_seen_at, EXCLUDED.last_seen_at),
                                  severity = GREATEST(alerts.severity, EXCLUDED.severity),
                                  value = COALESCE(EXCLUDED.value, alerts.value)
                    RETURNING *, (xmax = 0) AS inserted),
                e AS (
                    INSERT INTO alert_events (alert_id, event_id, event_time)
                    SELECT id, ?::uuid, ? FROM a WHERE ?::uuid IS NOT NULL
                    ON CONFLICT DO NOTHING),
                f AS (
                    INSERT INTO alert_activity (alert_id, at, actor, action)
                    SELECT id, ?, ?, 'fired' FROM a WHERE inserted)
                SELECT\s""" + AlertRows.COLUMNS + ", inserted FROM a")) {
            int i = 1;
            st.setString(i++, s.ruleId());
            st.setString(i++, s.ruleKind());
            st.setString(i++, s.fingerprint());
            st.setShort(i++, s.severity().code());
            st.setString(i++, s.title());
            st.setString(i++, s.message());
            st.setString(i++, rows.labelsJson(s.labels()));
            st.setTimestamp(i++, Timestamp.from(s.at()));
            st.setTimestamp(i++, Timestamp.from(s.at()));
            if (s.value() == null) {
                st.setNull(i++, Types.DOUBLE);
            } else {
                st.setDouble(i++, s.value());
            }
            st.setObject(i++, s.eventId());
            st.setTimestamp(i++, s.eventTime() == null ? null : Timestamp.from(s.eventTime()));
            st.setObject(i++, s.eventId());
            st.setTimestamp(i++, Timestamp.from(s.at()));
            st.setString(i, actor);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                alert = rows.read(rs);
                inserted = rs.getBoolean("inserted");
            }
        }
        if (!inserted) {
            return Optional.empty();
        }
        return Optional.of(notify(c, new AlertChange(AlertChange.Kind.FIRED, alert, actor)));
    }

    /**
     * Resolves the open alert of (rule, fingerprint), if there is one: the condition cleared.
     *
     * @param reason why, for the audit trail (e.g. {@code value 0.4 below 0.8})
     */
    public Optional<AlertChange> resolveByKey(String ruleId, String fingerprint, String reason) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE alerts SET state = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?
                     WHERE rule_id = ? AND fingerprint = ? AND state <> 'resolved'
                    RETURNING\s""" + AlertRows.COLUMNS)) {
                Instant now = clock.instant();
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, "rule:" + ruleId);
                st.setString(3, truncate(reason));
                st.setString(4, ruleId);
                st.setString(5, fingerprint);
                List<Alert> resolved = readAll(st);
                List<AlertChange> out = new ArrayList<>();
                for (Alert a : resolved) {
                    activity(c, a.id(), now, "rule:" + ruleId, "resolved", truncate(reason));
                    out.add(notify(c, new AlertChange(AlertChange.Kind.RESOLVED, a, "rule:" + ruleId)));
                }
                return out.stream().findFirst();
            }
        })).map(this::logResolved);
    }

    /** Resolves the open alerts of a rule not seen since {@code quietSince} (a rule's quiet period). */
    public List<AlertChange> resolveQuiet(String ruleId, Instant quietSince, String reason) {
        List<AlertChange> changes = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE alerts SET state = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?
                     WHERE rule_id = ? AND state <> 'resolved' AND last_seen_at < ?
                    RETURNING\s""" + AlertRows.COLUMNS)) {
                Instant now = clock.instant();
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, "rule:" + ruleId);
                st.setString(3, truncate(reason));
                st.setString(4, ruleId);
                st.setTimestamp(5, Timestamp.from(quietSince));
                List<AlertChange> out = new ArrayList<>();
                for (Alert a : readAll(st)) {
                    activity(c, a.id(), now, "rule:" + ruleId, "resolved", truncate(reason));
                    out.add(notify(c, new AlertChange(AlertChange.Kind.RESOLVED, a, "rule:" + ruleId)));
                }
                return out;
            }
        }));
        changes.forEach(this::logResolved);
        return changes;
    }

    /**
     * Acknowledges a firing alert: escalation and repeat notifications stop.
     *
     * @throws AlertNotFoundException  no such alert
     * @throws AlertConflictException  it is acknowledged or resolved already
     */
    public Alert acknowledge(long id, String actor, @Nullable String comment) {
        return act(id, actor, comment, AlertChange.Kind.ACKNOWLEDGED);
    }

    /**
     * Resolves an open alert by hand.
     *
     * @throws AlertNotFoundException  no such alert
     * @throws AlertConflictException  it is resolved already
     */
    public Alert resolve(long id, String actor, @Nullable String comment) {
        return act(id, actor, comment, AlertChange.Kind.RESOLVED);
    }

    /** Adds a comment to an alert's audit trail, in any state. */
    public Alert comment(long id, String actor, String comment) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Alert a = lock(c, id);
            activity(c, id, clock.instant(), actor, "commented", truncate(comment));
            return a;
        }));
    }

    private Alert act(long id, String actor, @Nullable String comment, AlertChange.Kind kind) {
        Alert result = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Alert a = lock(c, id);
            Instant now = clock.instant();
            if (a.state() == AlertState.RESOLVED) {
                throw new AlertConflictException("alert " + id + " was resolved by " + a.resolvedBy() + " at "
                        + a.resolvedAt() + "; a new occurrence opens a new alert");
            }
            String sql;
            if (kind == AlertChange.Kind.ACKNOWLEDGED) {
                if (a.state() == AlertState.ACKNOWLEDGED) {
                    throw new AlertConflictException("alert " + id + " was already acknowledged by "
                            + a.acknowledgedBy() + " at " + a.acknowledgedAt());
                }
                sql = "UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ? "
                        + "RETURNING " + AlertRows.COLUMNS;
            } else {
                sql = "UPDATE alerts SET state = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? "
                        + "RETURNING " + AlertRows.COLUMNS;
            }
            Alert updated;
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = 1;
                st.setTimestamp(i++, Timestamp.from(now));
                st.setString(i++, actor);
                if (kind == AlertChange.Kind.RESOLVED) {
                    st.setString(i++, truncate(comment));
                }
                st.setLong(i, id);
                updated = readAll(st).get(0);
            }
            activity(c, id, now, actor, kind == AlertChange.Kind.ACKNOWLEDGED ? "acknowledged" : "resolved",
                    truncate(comment));
            notify(c, new AlertChange(kind, updated, actor));
            return updated;
        }));
        LOG.atInfo().addKeyValue("alert_id", id).addKeyValue("actor", actor)
                .setMessage("alert {} {} by {}").addArgument(id)
                .addArgument(kind == AlertChange.Kind.ACKNOWLEDGED ? "acknowledged" : "resolved")
                .addArgument(actor).log();
        return result;
    }

    /** The alerts with these ids, in the caller's transaction. */
    public List<Alert> load(Connection c, Collection<Long> ids) throws SQLException {
        return rows.load(c, ids);
    }

    /** Records a step of escalation on the alert, in the caller's transaction. */
    public void recordEscalation(Connection c, long alertId, int level, String policy, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE alerts SET escalation_level = GREATEST(escalation_level, ?) WHERE id = ?")) {
            st.setInt(1, level);
            st.setLong(2, alertId);
            st.executeUpdate();
        }
        activity(c, alertId, at, "escalation:" + policy, "escalated", "level " + level);
    }

    private Alert lock(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + AlertRows.COLUMNS + " FROM alerts WHERE id = ? FOR UPDATE")) {
            st.setLong(1, id);
            List<Alert> found = readAll(st);
            if (found.isEmpty()) {
                throw new AlertNotFoundException(id);
            }
            return found.get(0);
        }
    }

    private AlertChange notify(Connection c, AlertChange change) throws SQLException {
        for (AlertChangeListener l : listeners) {
            l.onChange(c, change);
        }
        return change;
    }

    private AlertChange logResolved(AlertChange change) {
        Alert a = change.alert();
        meters.counter("vigil.alerts.resolved", "rule", a.ruleId()).increment();
        LOG.atInfo().addKeyValue("alert_id", a.id()).addKeyValue("rule", a.ruleId())
                .setMessage("alert {} resolved: {}").addArgument(a.id()).addArgument(a.resolution()).log();
        return change;
    }

    private static void activity(Connection c, long alertId, Instant at, String actor, String action,
                                 @Nullable String comment) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO alert_activity (alert_id, at, actor, action, comment) VALUES (?, ?, ?, ?, ?)")) {
            st.setLong(1, alertId);
            st.setTimestamp(2, Timestamp.from(at));
            st.setString(3, actor);
            st.setString(4, action);
            st.setString(5, comment);
            st.executeUpdate();
        }
    }

    private List<Alert> readAll(PreparedStatement st) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rows.read(rs));
            }
        }
        return out;
    }

    private static @Nullable String truncate(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        return t.length() <= MAX_COMMENT ? t : t.substring(0, MAX_COMMENT);
    }
}

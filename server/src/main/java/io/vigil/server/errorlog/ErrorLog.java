package io.vigil.server.errorlog;

import io.vigil.server.database.Sql;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.ServerEvents;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records error reports into their groups. Each report is one upsert of its group (INSERT … ON
 * CONFLICT DO UPDATE adding the count, so two server replicas recording the same error at once add
 * up rather than overwrite) and one upsert of the group's row for the hour of the report's
 * {@code last_seen}.
 *
 * <p>A resolved group whose report has a {@code last_seen} after the resolution is reopened by the
 * same upsert: status open, reopen count + 1, an activity row by the reporting source, and a
 * {@value #REOPENED} event through {@link ServerEvents} (stored in the same transaction, published
 * to alert rules after the commit). Before the upsert the existing group row is locked
 * ({@code FOR UPDATE}), which is how this transaction knows whether the recurrence reopened it: a
 * concurrent reporter waits and then sees the group open, so a recurrence reopens once.
 *
 * <p>A batch's reports are written sorted by (source, fingerprint), so two transactions touching
 * the same groups lock them in the same order and cannot deadlock.
 */
@Singleton
public class ErrorLog {

    /** The event type of a reopened group. */
    public static final String REOPENED = "server.error.reopened";
    /** The component name of the error log's own server events. */
    static final String COMPONENT = "errorlog";

    private final TransactionOperations<Connection> transactions;
    private final ServerEvents events;
    private final ErrorLogMetrics metrics;

    ErrorLog(TransactionOperations<Connection> transactions, ServerEvents events, ErrorLogMetrics metrics) {
        this.transactions = transactions;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * What one call recorded.
     *
     * @param reports     reports recorded
     * @param occurrences their counts summed
     * @param newGroups   groups created by them
     * @param reopened    resolved groups they reopened
     */
    public record Recorded(int reports, long occurrences, int newGroups, int reopened) {
    }

    /**
     * Records {@code reports} in one transaction.
     *
     * @param origin {@code agent} or {@code server}, for the counters
     * @throws io.vigil.server.database.DatabaseUnavailableException when PostgreSQL cannot be reached
     */
    public Recorded record(List<ErrorReport> reports, String origin) {
        List<ErrorReport> ordered = new ArrayList<>(reports);
        ordered.sort(Comparator.comparing(ErrorReport::source).thenComparing(ErrorReport::fingerprint));
        List<NewEvent> emitted = new ArrayList<>();
        Recorded recorded = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try {
                return write(status.getConnection(), ordered, emitted);
            } catch (SQLException e) {
                // as an unchecked exception: callers (the capture's flusher) catch it like any other failure
                throw new IllegalStateException("recording " + ordered.size() + " error reports failed: "
                        + e.getMessage(), e);
            }
        }));
        emitted.forEach(events::published);
        metrics.recorded(origin, recorded.occurrences());
        return recorded;
    }

    private Recorded write(Connection c, List<ErrorReport> ordered, List<NewEvent> emitted) throws SQLException {
        emitted.clear(); // a retried transaction starts over
        long occurrences = 0;
        int created = 0;
        for (ErrorReport r : ordered) {
            Upserted u = upsert(c, r);
            hourly(c, u.groupId(), r.lastSeen(), r.count());
            occurrences += r.count();
            if (u.created()) {
                created++;
            }
            if (u.reopened()) {
                ErrorActivity.insert(c, u.groupId(), r.lastSeen(), r.source(), "reopened",
                        "recurred after it was resolved");
                emitted.add(events.emitIn(c, reopenedEvent(r, u)));
            }
        }
        return new Recorded(ordered.size(), occurrences, created, emitted.size());
    }

    private record Upserted(long groupId, boolean created, boolean reopened, int reopenCount, long occurrences,
                            ErrorSeverity severity) {
    }

    private static Upserted upsert(Connection c, ErrorReport r) throws SQLException {
        String before = null;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT status FROM error_groups WHERE source = ? AND fingerprint = ? FOR UPDATE")) {
            st.setString(1, r.source());
            st.setString(2, r.fingerprint());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    before = rs.getString(1);
                }
            }
        }
        // "recurs" = an occurrence after the resolution; a late report of occurrences from before it
        // (an agent that was offline) adds to the count without reopening
        String recurs = "g.status = 'resolved' AND EXCLUDED.last_seen > g.resolved_at";
        String newer = "EXCLUDED.last_seen >= g.last_seen";
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO error_groups AS g (source, fingerprint, component, severity, message, exception_type,
                                               stack, first_seen, last_seen, occurrences)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source, fingerprint) DO UPDATE SET
                    severity = GREATEST(g.severity, EXCLUDED.severity),
                    component = CASE WHEN %2$s THEN EXCLUDED.component ELSE g.component END,
                    message = CASE WHEN %2$s THEN EXCLUDED.message ELSE g.message END,
                    exception_type = CASE WHEN %2$s THEN EXCLUDED.exception_type ELSE g.exception_type END,
                    stack = CASE WHEN %2$s THEN COALESCE(EXCLUDED.stack, g.stack) ELSE g.stack END,
                    first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
                    last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen),
                    occurrences = g.occurrences + EXCLUDED.occurrences,
                    reopen_count = g.reopen_count + CASE WHEN %1$s THEN 1 ELSE 0 END,
                    last_reopened_at = CASE WHEN %1$s THEN EXCLUDED.last_seen ELSE g.last_reopened_at END,
                    status = CASE WHEN %1$s THEN 'open' ELSE g.status END
                RETURNING id, status, reopen_count, occurrences, severity""".formatted(recurs, newer))) {
            st.setString(1, r.source());
            st.setString(2, r.fingerprint());
            st.setString(3, r.component());
            st.setShort(4, r.severity().code());
            st.setString(5, r.message());
            st.setString(6, r.exceptionType());
            st.setString(7, r.stack());
            st.setObject(8, Sql.utc(r.firstSeen()));
            st.setObject(9, Sql.utc(r.lastSeen()));
            st.setLong(10, r.count());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                boolean reopened = "resolved".equals(before) && "open".equals(rs.getString("status"));
                return new Upserted(rs.getLong("id"), before == null, reopened, rs.getInt("reopen_count"),
                        rs.getLong("occurrences"), ErrorSeverity.fromCode(rs.getShort("severity")));
            }
        }
    }

    private static void hourly(Connection c, long groupId, Instant lastSeen, long count) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO error_hourly (group_id, hour, occurrences) VALUES (?, ?, ?)
                ON CONFLICT (group_id, hour) DO UPDATE SET occurrences = error_hourly.occurrences + EXCLUDED.occurrences
                """)) {
            st.setLong(1, groupId);
            st.setObject(2, Sql.utc(lastSeen.truncatedTo(ChronoUnit.HOURS)));
            st.setLong(3, count);
            st.executeUpdate();
        }
    }

    private static ServerEvents.Emission reopenedEvent(ErrorReport r, Upserted u) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("group_id", u.groupId());
        attributes.put("source", r.source());
        attributes.put("component", r.component());
        attributes.put("error_severity", u.severity().wireName());
        if (r.exceptionType() != null) {
            attributes.put("exception_type", r.exceptionType());
        }
        attributes.put("message", r.message());
        attributes.put("reopen_count", u.reopenCount());
        attributes.put("occurrences", u.occurrences());
        String title = "error reopened on " + r.source() + " (" + r.component() + "): "
                + (r.message().length() > 160 ? r.message().substring(0, 160) + "…" : r.message());
        // one alert per group: the same fingerprint from two sources is two groups, so two alerts
        return new ServerEvents.Emission(COMPONENT, REOPENED, u.severity().eventSeverity(), r.fingerprint(), title,
                attributes, REOPENED + ":" + r.source() + ":" + r.fingerprint(), null);
    }

}

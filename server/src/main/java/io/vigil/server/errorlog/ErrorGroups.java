package io.vigil.server.errorlog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.database.Sql;
import io.vigil.server.database.SqlArray;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads error groups and changes their status: resolve, reopen, assign. Every change writes an
 * {@link ErrorActivity} row with who and when, in the same transaction as the change.
 */
@Singleton
public class ErrorGroups {

    private final ConnectionPool pool;
    private final TransactionOperations<Connection> transactions;

    ErrorGroups(ConnectionPool pool, TransactionOperations<Connection> transactions) {
        this.pool = pool;
        this.transactions = transactions;
    }

    /**
     * Which groups to list; empty lists and nulls match everything.
     *
     * @param since  {@code last_seen >= since}
     * @param until  {@code last_seen < until}
     * @param after  the cursor of the previous page
     */
    record Filter(List<String> components, List<String> sources, List<ErrorSeverity> severities,
                  @Nullable String status, @Nullable Instant since, @Nullable Instant until, int limit,
                  @Nullable ErrorCursor after) {
    }

    /** A page of groups, newest {@code last_seen} first; {@code next} is null on the last page. */
    record Page(List<ErrorGroup> groups, @Nullable ErrorCursor next) {
    }

    Page list(Filter f) {
        Sql sql = new Sql("SELECT " + ErrorGroup.COLUMNS + " FROM error_groups WHERE true");
        if (!f.components().isEmpty()) {
            sql.add(" AND component = ANY(?)", new SqlArray("text", f.components().toArray()));
        }
        if (!f.sources().isEmpty()) {
            sql.add(" AND source = ANY(?)", new SqlArray("text", f.sources().toArray()));
        }
        if (!f.severities().isEmpty()) {
            sql.add(" AND severity = ANY(?)", new SqlArray("int2",
                    f.severities().stream().map(ErrorSeverity::code).toArray()));
        }
        if (f.status() != null) {
            sql.add(" AND status = ?", f.status());
        }
        if (f.since() != null) {
            sql.add(" AND last_seen >= ?", Sql.utc(f.since()));
        }
        if (f.until() != null) {
            sql.add(" AND last_seen < ?", Sql.utc(f.until()));
        }
        if (f.after() != null) {
            sql.add(" AND (last_seen, id) < (?, ?)", Sql.utc(f.after().lastSeen()), f.after().id());
        }
        sql.add(" ORDER BY last_seen DESC, id DESC LIMIT ?", f.limit() + 1);
        return pool.with(c -> {
            List<ErrorGroup> groups = new ArrayList<>();
            try (PreparedStatement st = sql.prepare(c, 30); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    groups.add(ErrorGroup.read(rs));
                }
            }
            ErrorCursor next = null;
            if (groups.size() > f.limit()) {
                groups = groups.subList(0, f.limit());
                ErrorGroup last = groups.get(groups.size() - 1);
                next = new ErrorCursor(last.lastSeen(), last.id());
            }
            return new Page(List.copyOf(groups), next);
        });
    }

    /** A group with its changes and its occurrences per hour over the 24 hours up to {@code now}. */
    record Detail(ErrorGroup group, List<ErrorActivity> activity, List<HourCount> hourly) {
    }

    /** Occurrences in the UTC hour starting at {@code hour}. */
    public record HourCount(Instant hour, long occurrences) {
    }

    Optional<Detail> find(long id, Instant now) {
        return pool.with(c -> {
            Optional<ErrorGroup> group = load(c, id, false);
            if (group.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Detail(group.get(), ErrorActivity.of(c, id), last24Hours(c, id, now)));
        });
    }

    /**
     * The 24 UTC hours ending with the one holding {@code now}, oldest first, zeros included; of one
     * group, or of all when {@code groupId} is null.
     */
    static List<HourCount> last24Hours(Connection c, @Nullable Long groupId, Instant now) throws SQLException {
        Instant last = now.truncatedTo(ChronoUnit.HOURS);
        try (PreparedStatement st = c.prepareStatement("""
                SELECT h.hour, COALESCE(SUM(e.occurrences), 0)
                  FROM generate_series(?::timestamptz - interval '23 hours', ?::timestamptz, interval '1 hour') AS h(hour)
                  LEFT JOIN error_hourly e ON e.hour = h.hour AND (?::bigint IS NULL OR e.group_id = ?::bigint)
                 GROUP BY h.hour ORDER BY h.hour""")) {
            st.setObject(1, Sql.utc(last));
            st.setObject(2, Sql.utc(last));
            st.setObject(3, groupId);
            st.setObject(4, groupId);
            List<HourCount> out = new ArrayList<>(24);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new HourCount(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2)));
                }
            }
            return out;
        }
    }

    /** What a status change came to. */
    sealed interface Change {
        record Done(ErrorGroup group) implements Change {
        }

        record NotFound() implements Change {
        }

        /** The change does not apply to the group's state (resolving a resolved group). */
        record Conflict(String reason) implements Change {
        }
    }

    Change resolve(long id, @Nullable String note, String actor, Instant now) {
        return change(id, c -> {
            ErrorGroup g = load(c, id, true).orElse(null);
            if (g == null) {
                return new Change.NotFound();
            }
            if (g.status().equals("resolved")) {
                return new Change.Conflict("error group " + id + " is resolved already (by " + g.resolvedBy()
                        + " at " + g.resolvedAt() + "); reopen it first to resolve it again");
            }
            update(c, "UPDATE error_groups SET status = 'resolved', resolved_by = ?, resolved_at = ?, "
                    + "resolution_note = ? WHERE id = ?", actor, Sql.utc(now), note, id);
            ErrorActivity.insert(c, id, now, actor, "resolved", note);
            return new Change.Done(load(c, id, false).orElseThrow());
        });
    }

    Change reopen(long id, String actor, Instant now) {
        return change(id, c -> {
            ErrorGroup g = load(c, id, true).orElse(null);
            if (g == null) {
                return new Change.NotFound();
            }
            if (g.status().equals("open")) {
                return new Change.Conflict("error group " + id + " is open already");
            }
            update(c, "UPDATE error_groups SET status = 'open', reopen_count = reopen_count + 1, "
                    + "last_reopened_at = ? WHERE id = ?", Sql.utc(now), id);
            ErrorActivity.insert(c, id, now, actor, "reopened", null);
            return new Change.Done(load(c, id, false).orElseThrow());
        });
    }

    /** Assigns the group to {@code assignee}, or unassigns it when null. */
    Change assign(long id, @Nullable String assignee, String actor, Instant now) {
        return change(id, c -> {
            if (load(c, id, true).isEmpty()) {
                return new Change.NotFound();
            }
            update(c, "UPDATE error_groups SET assignee = ? WHERE id = ?", assignee, id);
            ErrorActivity.insert(c, id, now, actor, "assigned", assignee);
            return new Change.Done(load(c, id, false).orElseThrow());
        });
    }

    private interface Work {
        Change run(Connection c) throws SQLException;
    }

    private Change change(long id, Work work) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try {
                return work.run(status.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException("changing error group " + id + " failed: " + e.getMessage(), e);
            }
        }));
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement st = new Sql(sql, values).prepare(c, 30)) {
            st.executeUpdate();
        }
    }

    private static Optional<ErrorGroup> load(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + ErrorGroup.COLUMNS
                + " FROM error_groups WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(ErrorGroup.read(rs)) : Optional.empty();
            }
        }
    }
}

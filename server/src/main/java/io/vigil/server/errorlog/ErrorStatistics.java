package io.vigil.server.errorlog;

import io.vigil.server.database.Sql;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.query.TimeWindow;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of {@code GET /api/v1/errors/stats}, all from {@code error_hourly} (exact counts per
 * group and UTC hour) and {@code error_groups}:
 * <ul>
 *   <li>by severity: per severity, the groups with occurrences in the window, those occurrences, and
 *       the groups open now (whatever the window);</li>
 *   <li>top: the {@value #TOP} groups with the most occurrences in the window (ties: newer
 *       {@code last_seen} first);</li>
 *   <li>hourly: occurrences of all groups in each of the 24 UTC hours ending with the current one;</li>
 *   <li>average per day: occurrences in the 7 complete UTC days before today, divided by 7.</li>
 * </ul>
 * "In the window" means in an hour row whose hour starts at or after {@code since} and before
 * {@code until}: the window is counted in whole hours.
 */
@Singleton
class ErrorStatistics {

    static final int TOP = 10;
    /** The complete UTC days before today the average per day is taken over. */
    static final int AVERAGE_DAYS = 7;

    private final ConnectionPool pool;

    ErrorStatistics(ConnectionPool pool) {
        this.pool = pool;
    }

    record SeverityCount(long groups, long occurrences, long openGroups) {
    }

    record TopGroup(ErrorGroup group, long occurrences) {
    }

    record Stats(TimeWindow window, Map<ErrorSeverity, SeverityCount> bySeverity, List<TopGroup> top,
                 List<ErrorGroups.HourCount> hourly, long weekOccurrences, Instant averageFrom,
                 Instant averageUntil) {
    }

    Stats of(TimeWindow window, Instant now) {
        return pool.with(c -> {
            Instant today = now.truncatedTo(ChronoUnit.DAYS);
            Instant weekAgo = today.minus(Duration.ofDays(AVERAGE_DAYS));
            return new Stats(window, bySeverity(c, window), top(c, window), ErrorGroups.last24Hours(c, null, now),
                    occurrences(c, weekAgo, today), weekAgo, today);
        });
    }

    private static Map<ErrorSeverity, SeverityCount> bySeverity(Connection c, TimeWindow w) throws SQLException {
        Map<ErrorSeverity, SeverityCount> out = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT s.code,
                       (SELECT count(DISTINCT h.group_id) FROM error_hourly h JOIN error_groups g ON g.id = h.group_id
                         WHERE g.severity = s.code AND h.hour >= ? AND h.hour < ?),
                       (SELECT COALESCE(SUM(h.occurrences), 0) FROM error_hourly h JOIN error_groups g ON g.id = h.group_id
                         WHERE g.severity = s.code AND h.hour >= ? AND h.hour < ?),
                       (SELECT count(*) FROM error_groups g WHERE g.severity = s.code AND g.status = 'open')
                  FROM generate_series(0, 2) AS s(code) ORDER BY s.code""")) {
            for (int i = 0; i < 2; i++) {
                st.setObject(2 * i + 1, Sql.utc(w.since()));
                st.setObject(2 * i + 2, Sql.utc(w.until()));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(ErrorSeverity.fromCode(rs.getInt(1)),
                            new SeverityCount(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    private static List<TopGroup> top(Connection c, TimeWindow w) throws SQLException {
        String columns = ErrorGroup.COLUMNS.replaceAll("(\\w+)", "g.$1");
        try (PreparedStatement st = c.prepareStatement("SELECT " + columns + ", t.n FROM error_groups g JOIN ("
                + "SELECT group_id, SUM(occurrences) AS n FROM error_hourly WHERE hour >= ? AND hour < ? "
                + "GROUP BY group_id) t ON t.group_id = g.id ORDER BY t.n DESC, g.last_seen DESC, g.id DESC LIMIT ?")) {
            st.setObject(1, Sql.utc(w.since()));
            st.setObject(2, Sql.utc(w.until()));
            st.setInt(3, TOP);
            List<TopGroup> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TopGroup(ErrorGroup.read(rs), rs.getLong("n")));
                }
            }
            return out;
        }
    }

    private static long occurrences(Connection c, Instant from, Instant until) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT COALESCE(SUM(occurrences), 0) FROM error_hourly WHERE hour >= ? AND hour < ?")) {
            st.setObject(1, Sql.utc(from));
            st.setObject(2, Sql.utc(until));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package io.vigil.plugin.dbperf.collect;

import io.vigil.plugin.dbperf.collect.Reading.CounterSet;
import io.vigil.plugin.dbperf.collect.Reading.DatabaseActivity;
import io.vigil.plugin.dbperf.collect.Reading.Gauge;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL 10 or later: {@code pg_stat_database} (counters per database), {@code pg_stat_activity}
 * (sessions, transaction and query ages), {@code pg_locks} (lock waits), {@code pg_database_size},
 * {@code pg_stat_bgwriter} or, from 17 on, {@code pg_stat_checkpointer}, and replication from
 * {@code pg_stat_replication} on a primary or the replay position on a standby.
 *
 * <p>One connection sees every database of the cluster: these views are cluster-wide. Without
 * superuser or {@code pg_monitor}, other users' sessions show no times and sizes of databases the
 * user may not connect to are left out; grant {@code pg_monitor} to the monitoring user.
 */
final class PostgresCollector implements Collector {

    private static final String ACTIVITY = """
            SELECT datname,
                   count(*) FILTER (WHERE state = 'active'),
                   count(*) FILTER (WHERE state = 'idle'),
                   count(*) FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')),
                   count(*) FILTER (WHERE state IS NULL OR state NOT IN
                                    ('active', 'idle', 'idle in transaction', 'idle in transaction (aborted)')),
                   coalesce(extract(epoch FROM max(now() - xact_start)), 0)::float8,
                   coalesce(extract(epoch FROM max(now() - query_start) FILTER (WHERE state = 'active')), 0)::float8
              FROM pg_stat_activity
             WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
             GROUP BY datname""";

    @Override
    public Reading collect(Connection c, CollectRequest request) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(request.queryTimeoutSeconds());
            int version;
            String versionText;
            double now;
            String started;
            long maxConnections;
            boolean standby;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, "
                    + "current_setting('server_version'), extract(epoch FROM now())::float8, "
                    + "extract(epoch FROM pg_postmaster_start_time())::text, current_setting('max_connections')::int, "
                    + "pg_is_in_recovery()")) {
                rs.next();
                version = rs.getInt(1);
                versionText = rs.getString(2);
                now = rs.getDouble(3);
                started = rs.getString(4);
                maxConnections = rs.getLong(5);
                standby = rs.getBoolean(6);
            }
            if (version < 100000) {
                throw new SQLException("PostgreSQL " + versionText + " is not supported: dbperf needs 10 or later "
                        + "(pg_stat_activity.backend_type)", "0A000");
            }

            Set<String> databases = new LinkedHashSet<>();
            Map<String, Long> limits = new LinkedHashMap<>();
            Map<String, CounterSet> counters = new LinkedHashMap<>();
            String activeTime = version >= 140000 ? "s.active_time" : "NULL::float8";
            try (ResultSet rs = st.executeQuery("SELECT d.datname, d.datconnlimit, s.xact_commit, s.xact_rollback, "
                    + "s.blks_read, s.blks_hit, s.deadlocks, s.temp_bytes, "
                    + "coalesce(extract(epoch FROM s.stats_reset)::text, ''), " + activeTime
                    + " FROM pg_database d JOIN pg_stat_database s ON s.datid = d.oid"
                    + " WHERE NOT d.datistemplate AND d.datallowconn ORDER BY d.datname")) {
                while (rs.next()) {
                    String db = rs.getString(1);
                    if (!request.selection().includes(db)) {
                        continue;
                    }
                    databases.add(db);
                    limits.put(db, rs.getLong(2));
                    Map<String, Long> values = new LinkedHashMap<>();
                    values.put("commits", rs.getLong(3));
                    values.put("rollbacks", rs.getLong(4));
                    values.put("cache_lookups", rs.getLong(5) + rs.getLong(6));
                    values.put("cache_misses", rs.getLong(5));
                    values.put("deadlocks", rs.getLong(7));
                    values.put("temp_bytes", rs.getLong(8));
                    double active = rs.getDouble(10);
                    if (!rs.wasNull()) {
                        values.put("busy_ms", Math.round(active));
                    }
                    counters.put(db, new CounterSet(rs.getString(9) + "@" + started, values));
                }
            }

            Map<String, long[]> sessions = new LinkedHashMap<>();
            Map<String, double[]> ages = new LinkedHashMap<>();
            long total = 0;
            try (ResultSet rs = st.executeQuery(ACTIVITY)) {
                while (rs.next()) {
                    long[] counts = {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
                    total += counts[0] + counts[1] + counts[2] + counts[3];
                    String db = rs.getString(1);
                    if (db != null) {
                        sessions.put(db, counts);
                        ages.put(db, new double[] {Math.max(0, rs.getDouble(6)), Math.max(0, rs.getDouble(7))});
                    }
                }
            }
            Map<String, double[]> waits = new LinkedHashMap<>();
            String waitStart = version >= 140000 ? "coalesce(l.waitstart, a.query_start)" : "a.query_start";
            try (ResultSet rs = st.executeQuery("SELECT a.datname, count(DISTINCT l.pid), "
                    + "coalesce(extract(epoch FROM max(now() - " + waitStart + ")), 0)::float8"
                    + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE NOT l.granted AND a.pid <> pg_backend_pid() AND a.datname IS NOT NULL"
                    + " GROUP BY a.datname")) {
                while (rs.next()) {
                    waits.put(rs.getString(1), new double[] {rs.getLong(2), Math.max(0, rs.getDouble(3))});
                }
            }
            Map<String, DatabaseActivity> activity = new LinkedHashMap<>();
            for (String db : databases) {
                long[] s = sessions.getOrDefault(db, new long[4]);
                double[] a = ages.getOrDefault(db, new double[2]);
                double[] w = waits.getOrDefault(db, new double[2]);
                activity.put(db, new DatabaseActivity(s[0], s[1], s[2], s[3], limits.get(db), a[0], a[1],
                        (long) w[0], w[1]));
            }

            Map<String, Long> sizes = null;
            if (request.sizes()) {
                sizes = new LinkedHashMap<>();
                // NULL for a database dropped since this transaction's snapshot
                try (ResultSet rs = st.executeQuery("SELECT datname, pg_database_size(oid) FROM pg_database"
                        + " WHERE NOT datistemplate AND datallowconn AND has_database_privilege(oid, 'CONNECT')")) {
                    while (rs.next()) {
                        long size = rs.getLong(2);
                        if (!rs.wasNull() && databases.contains(rs.getString(1))) {
                            sizes.put(rs.getString(1), size);
                        }
                    }
                }
            }

            List<Gauge> gauges = new ArrayList<>();
            counters.put(Reading.SERVER, checkpoints(st, version, started));
            replication(st, standby, gauges);
            return new Reading(now, "PostgreSQL " + versionText, databases,
                    new Reading.ServerConnections(total, maxConnections), activity, counters, sizes, gauges, null,
                    List.of());
        }
    }

    /** Checkpoints and buffer writes: one view before 17, two from 17 on. */
    private static CounterSet checkpoints(Statement st, int version, String started) throws SQLException {
        Map<String, Long> values = new LinkedHashMap<>();
        String marker;
        if (version >= 170000) {
            try (ResultSet rs = st.executeQuery("SELECT c.num_timed, c.num_requested, c.buffers_written, "
                    + "b.buffers_clean, coalesce(extract(epoch FROM c.stats_reset)::text, '') || '/' "
                    + "|| coalesce(extract(epoch FROM b.stats_reset)::text, '') "
                    + "FROM pg_stat_checkpointer c, pg_stat_bgwriter b")) {
                rs.next();
                values.put("checkpoints_timed", rs.getLong(1));
                values.put("checkpoints_requested", rs.getLong(2));
                values.put("buffers_checkpoint", rs.getLong(3));
                values.put("buffers_clean", rs.getLong(4));
                marker = rs.getString(5);
            }
        } else {
            try (ResultSet rs = st.executeQuery("SELECT checkpoints_timed, checkpoints_req, buffers_checkpoint, "
                    + "buffers_clean, buffers_backend, coalesce(extract(epoch FROM stats_reset)::text, '') "
                    + "FROM pg_stat_bgwriter")) {
                rs.next();
                values.put("checkpoints_timed", rs.getLong(1));
                values.put("checkpoints_requested", rs.getLong(2));
                values.put("buffers_checkpoint", rs.getLong(3));
                values.put("buffers_clean", rs.getLong(4));
                values.put("buffers_backend", rs.getLong(5));
                marker = rs.getString(6);
            }
        }
        return new CounterSet(marker + "@" + started, values);
    }

    /**
     * A primary reports each standby's replay lag (time and bytes); a standby reports how far its
     * replay is behind what it received and the age of the last replayed transaction.
     */
    private static void replication(Statement st, boolean standby, List<Gauge> gauges) throws SQLException {
        if (standby) {
            try (ResultSet rs = st.executeQuery("SELECT coalesce(extract(epoch FROM now() - "
                    + "pg_last_xact_replay_timestamp()), 0)::float8, "
                    + "coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::float8")) {
                rs.next();
                gauges.add(new Gauge("dbperf.replication.lag", Math.max(0, rs.getDouble(1)), "seconds", null,
                        Map.of("replica", "self")));
                gauges.add(new Gauge("dbperf.replication.lag_bytes", Math.max(0, rs.getDouble(2)), "bytes", null,
                        Map.of("replica", "self")));
            }
            return;
        }
        try (ResultSet rs = st.executeQuery("SELECT coalesce(nullif(application_name, ''), host(client_addr), "
                + "pid::text), coalesce(extract(epoch FROM replay_lag), 0)::float8, "
                + "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 FROM pg_stat_replication")) {
            while (rs.next()) {
                Map<String, String> replica = Map.of("replica", rs.getString(1));
                gauges.add(new Gauge("dbperf.replication.lag", Math.max(0, rs.getDouble(2)), "seconds", null, replica));
                gauges.add(new Gauge("dbperf.replication.lag_bytes", Math.max(0, rs.getDouble(3)), "bytes", null,
                        replica));
            }
        }
    }
}

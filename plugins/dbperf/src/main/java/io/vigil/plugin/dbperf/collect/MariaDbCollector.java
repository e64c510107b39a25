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
 * MariaDB (and MySQL through the same driver): {@code SHOW GLOBAL STATUS} for the server-wide
 * counters, {@code information_schema.PROCESSLIST} joined with {@code INNODB_TRX} for sessions,
 * transaction ages and lock waits per database, {@code information_schema.TABLES} for sizes,
 * {@code performance_schema} statement digests per database when it is enabled, and
 * {@code SHOW ALL SLAVES STATUS} for replication when the user may run it.
 *
 * <p>MariaDB keeps its counters per server, not per database: transactions, rollbacks, deadlocks,
 * cache and temporary tables are reported for the server. Its counters have no reset marker;
 * {@code Uptime} is collected as a counter so that a restart shows as a decreasing value.
 */
final class MariaDbCollector implements Collector {

    private static final String STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime', 'Handler_commit', "
            + "'Handler_rollback', 'Innodb_deadlocks', 'Innodb_buffer_pool_read_requests', "
            + "'Innodb_buffer_pool_reads', 'Created_tmp_disk_tables', 'Questions')";
    private static final Map<String, String> COUNTER_NAMES = Map.of(
            "uptime", "uptime",
            "handler_commit", "commits",
            "handler_rollback", "rollbacks",
            "innodb_deadlocks", "deadlocks",
            "innodb_buffer_pool_read_requests", "cache_lookups",
            "innodb_buffer_pool_reads", "cache_misses",
            "created_tmp_disk_tables", "temp_disk_tables",
            "questions", "queries");
    private static final String SYSTEM_SCHEMAS = "('information_schema', 'performance_schema', 'mysql', 'sys')";

    @Override
    public Reading collect(Connection c, CollectRequest request) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(request.queryTimeoutSeconds());
            String version;
            double now;
            long maxConnections;
            boolean performanceSchema;
            try (ResultSet rs = st.executeQuery("SELECT VERSION(), UNIX_TIMESTAMP(NOW(6)), @@max_connections, "
                    + "@@performance_schema")) {
                rs.next();
                version = rs.getString(1);
                now = rs.getDouble(2);
                maxConnections = rs.getLong(3);
                performanceSchema = rs.getBoolean(4);
            }
            boolean mariadb = version.contains("MariaDB");

            Map<String, Long> status = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery(STATUS)) {
                while (rs.next()) {
                    String name = COUNTER_NAMES.get(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                    if (name != null) {
                        status.put(name, rs.getLong(2));
                    }
                }
            }
            Map<String, CounterSet> counters = new LinkedHashMap<>();
            counters.put(Reading.SERVER, new CounterSet("", status));

            Set<String> databases = new LinkedHashSet<>();
            try (ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                    + "WHERE SCHEMA_NAME NOT IN " + SYSTEM_SCHEMAS + " ORDER BY SCHEMA_NAME")) {
                while (rs.next()) {
                    if (request.selection().includes(rs.getString(1))) {
                        databases.add(rs.getString(1));
                    }
                }
            }

            Map<String, Sessions> sessions = new LinkedHashMap<>();
            long total = 0;
            // MySQL has no TIME_MS; its TIME is whole seconds
            String queryTime = mariadb ? "p.TIME_MS / 1000" : "p.TIME";
            try (ResultSet rs = st.executeQuery("SELECT p.DB, p.COMMAND, " + queryTime + ", "
                    + "UNIX_TIMESTAMP(NOW(6)) - UNIX_TIMESTAMP(t.trx_started), t.trx_state, "
                    + "UNIX_TIMESTAMP(NOW(6)) - UNIX_TIMESTAMP(t.trx_wait_started) "
                    + "FROM information_schema.PROCESSLIST p "
                    + "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID "
                    + "WHERE p.ID <> CONNECTION_ID() AND p.USER NOT IN ('system user', 'event_scheduler') "
                    + "AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', "
                    + "'Slave_worker')")) {
                while (rs.next()) {
                    total++;
                    String db = rs.getString(1);
                    if (db == null || !databases.contains(db)) {
                        continue;
                    }
                    Sessions s = sessions.computeIfAbsent(db, k -> new Sessions());
                    String command = rs.getString(2);
                    double trxAge = rs.getDouble(4);
                    boolean inTransaction = !rs.wasNull();
                    if (command.equals("Sleep")) {
                        if (inTransaction) {
                            s.idleInTransaction++;
                        } else {
                            s.idle++;
                        }
                    } else if (command.equals("Query") || command.equals("Execute")) {
                        s.active++;
                        s.longestQuery = Math.max(s.longestQuery, rs.getDouble(3));
                    } else {
                        s.other++;
                    }
                    if (inTransaction) {
                        s.longestTransaction = Math.max(s.longestTransaction, trxAge);
                    }
                    if ("LOCK WAIT".equals(rs.getString(5))) {
                        s.lockWaits++;
                        s.longestLockWait = Math.max(s.longestLockWait, rs.getDouble(6));
                    }
                }
            }
            Map<String, DatabaseActivity> activity = new LinkedHashMap<>();
            for (String db : databases) {
                Sessions s = sessions.getOrDefault(db, new Sessions());
                activity.put(db, new DatabaseActivity(s.active, s.idle, s.idleInTransaction, s.other, -1,
                        Math.max(0, s.longestTransaction), Math.max(0, s.longestQuery), s.lockWaits,
                        Math.max(0, s.longestLockWait)));
            }

            Map<String, Long> sizes = null;
            if (request.sizes()) {
                sizes = new LinkedHashMap<>();
                for (String db : databases) {
                    sizes.put(db, 0L);
                }
                // InnoDB's DATA_LENGTH comes from its persistent statistics: it follows growth with a delay
                try (ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, SUM(DATA_LENGTH + INDEX_LENGTH) "
                        + "FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN " + SYSTEM_SCHEMAS
                        + " GROUP BY TABLE_SCHEMA")) {
                    while (rs.next()) {
                        if (databases.contains(rs.getString(1))) {
                            sizes.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
            }

            if (performanceSchema) {
                statementDigests(st, databases, counters, notes);
            }
            List<Gauge> gauges = new ArrayList<>();
            replication(st, mariadb, gauges, notes);
            return new Reading(now, version.contains("MariaDB") ? "MariaDB " + version : "MySQL " + version, databases,
                    new Reading.ServerConnections(total, maxConnections), activity, counters, sizes, gauges, null,
                    notes);
        }
    }

    /** Statements and their total time per database, from the digest summary. */
    private static void statementDigests(Statement st, Set<String> databases, Map<String, CounterSet> counters,
                                         List<String> notes) {
        try (ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME, SUM(COUNT_STAR), SUM(SUM_TIMER_WAIT) DIV 1000000000 "
                + "FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME IS NOT NULL "
                + "GROUP BY SCHEMA_NAME")) {
            while (rs.next()) {
                if (databases.contains(rs.getString(1))) {
                    Map<String, Long> values = new LinkedHashMap<>();
                    values.put("statements", rs.getLong(2));
                    values.put("busy_ms", rs.getLong(3));
                    counters.put(rs.getString(1), new CounterSet("", values));
                }
            }
        } catch (SQLException e) {
            notes.add("performance_schema statement digests unreadable (" + e.getMessage()
                    + "); grant SELECT on performance_schema.* for per-database statement rates");
        }
    }

    /** One gauge pair per replication connection, when this server is a replica and the user may look. */
    private static void replication(Statement st, boolean mariadb, List<Gauge> gauges, List<String> notes) {
        try (ResultSet rs = st.executeQuery(mariadb ? "SHOW ALL SLAVES STATUS" : "SHOW SLAVE STATUS")) {
            while (rs.next()) {
                String channel = mariadb ? rs.getString("Connection_name") : "";
                Map<String, String> labels = Map.of("replica", channel == null || channel.isEmpty() ? "default" : channel);
                boolean running = "Yes".equals(rs.getString("Slave_IO_Running"))
                        && "Yes".equals(rs.getString("Slave_SQL_Running"));
                gauges.add(new Gauge("dbperf.replication.running", running ? 1 : 0, "", null, labels));
                long lag = rs.getLong("Seconds_Behind_Master");
                if (!rs.wasNull()) {
                    gauges.add(new Gauge("dbperf.replication.lag", lag, "seconds", null, labels));
                }
            }
        } catch (SQLException e) {
            notes.add("replication status unreadable (" + e.getMessage()
                    + "); grant REPLICATION CLIENT (MariaDB 10.5+: SLAVE MONITOR) to see replica lag");
        }
    }

    private static final class Sessions {
        long active;
        long idle;
        long idleInTransaction;
        long other;
        double longestTransaction;
        double longestQuery;
        long lockWaits;
        double longestLockWait;
    }
}

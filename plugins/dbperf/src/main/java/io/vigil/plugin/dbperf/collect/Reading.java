package io.vigil.plugin.dbperf.collect;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one collection found on one server, in engine-neutral terms: the monitor turns it into
 * metrics, rates and threshold checks the same way for every engine.
 *
 * @param serverTime     the server's clock at collection, in epoch seconds; rates divide by the
 *                       server's own elapsed time, so agent scheduling jitter does not skew them
 * @param serverVersion  the server's version string
 * @param databases      the databases reported (after the {@link DatabaseSelection})
 * @param connections    server-wide connection count and limit, or {@code null} (SQLite)
 * @param activity       per database: sessions, longest transaction and query, lock waits
 * @param counters       cumulative counters, {@code ""} for server-wide ones, else per database
 * @param sizes          bytes per database, or {@code null} when sizes were not measured this time
 * @param gauges         engine-specific values emitted as they are (replication, SQLite files)
 * @param integrity      the SQLite quick_check result, or {@code null} when it did not run
 * @param notes          parts that could not be read this time and why (a missing privilege, a
 *                       disabled feature); the monitor logs each distinct note once
 */
public record Reading(double serverTime, String serverVersion, Set<String> databases, ServerConnections connections,
                      Map<String, DatabaseActivity> activity, Map<String, CounterSet> counters,
                      Map<String, Long> sizes, List<Gauge> gauges, Integrity integrity, List<String> notes) {

    /** The key of server-wide counters in {@link #counters()}. */
    public static final String SERVER = "";

    /**
     * Client connections of the whole server.
     *
     * @param total the server's client sessions, the monitor's own left out
     * @param max   the most the server accepts ({@code max_connections})
     */
    public record ServerConnections(long total, long max) {
    }

    /**
     * One database's sessions (the monitor's own left out) and waits.
     *
     * @param active             sessions running a statement
     * @param idle               sessions waiting for the client, outside a transaction
     * @param idleInTransaction  sessions waiting for the client inside an open transaction
     * @param other              anything else (fast-path calls, disabled tracking)
     * @param connectionLimit    the database's own connection limit, or -1 when it has none
     * @param longestTransaction age of the oldest open transaction, seconds (0 when none)
     * @param longestQuery       run time of the longest running statement, seconds (0 when none)
     * @param lockWaits          sessions waiting for a lock
     * @param longestLockWait    how long the longest of them has waited, seconds (0 when none)
     */
    public record DatabaseActivity(long active, long idle, long idleInTransaction, long other, long connectionLimit,
                                   double longestTransaction, double longestQuery, long lockWaits,
                                   double longestLockWait) {

        /** No sessions at all. */
        public static DatabaseActivity none(long connectionLimit) {
            return new DatabaseActivity(0, 0, 0, 0, connectionLimit, 0, 0, 0, 0);
        }

        /** All sessions. */
        public long total() {
            return active + idle + idleInTransaction + other;
        }
    }

    /**
     * Cumulative counters of one scope, with what identifies their epoch.
     *
     * @param marker changes when the counters restart from zero without the values showing it
     *               (PostgreSQL's {@code stats_reset} and postmaster start time); empty when the
     *               engine has none and a decreasing counter is the only sign
     * @param values counter name to value
     */
    public record CounterSet(String marker, Map<String, Long> values) {
    }

    /**
     * A value emitted as it is.
     *
     * @param name     metric name
     * @param value    the value
     * @param unit     its unit
     * @param database the database it is about, or {@code null} for the server
     * @param labels   further labels
     */
    public record Gauge(String name, double value, String unit, String database, Map<String, String> labels) {
    }

    /**
     * The result of SQLite's {@code PRAGMA quick_check}.
     *
     * @param ok       whether it said {@code ok}
     * @param problems the first problems it listed
     * @param seconds  how long it took
     */
    public record Integrity(boolean ok, List<String> problems, double seconds) {
    }
}

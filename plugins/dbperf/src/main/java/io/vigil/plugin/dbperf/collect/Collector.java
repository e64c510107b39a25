package io.vigil.plugin.dbperf.collect;

import io.vigil.dbconnect.JdbcUrl;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads one server's statistics views. Called by the monitor inside one read-only transaction
 * on its connection, after the probe query, so all views are read from one snapshot where the
 * engine offers that (PostgreSQL's {@code stats_fetch_consistency}) and the collection costs the
 * server one transaction. Not thread-safe; one collector per monitor.
 */
public interface Collector {

    /**
     * Collects once.
     *
     * @throws SQLException when a statistics query fails; the monitor tells an unreachable server
     *                      from a refused query with {@link io.vigil.dbconnect.FailureReason}
     */
    Reading collect(Connection connection, CollectRequest request) throws SQLException;

    /** The collector for the URL's engine. */
    static Collector forUrl(JdbcUrl url) {
        return switch (url.engine()) {
            case POSTGRESQL -> new PostgresCollector();
            case MARIADB -> new MariaDbCollector();
            case SQLITE -> new SqliteCollector(url.sqliteFile().orElseThrow(() -> new IllegalArgumentException(
                    "url " + url.display() + " names no SQLite file; give jdbc:sqlite:/path/to/file.db")));
        };
    }
}

package io.vigil.plugin.dbperf.collect;

import io.vigil.plugin.dbperf.collect.Reading.Gauge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SQLite file: its logical size ({@code page_count × page_size}), the main and WAL file sizes
 * on disk, free pages, and {@code PRAGMA quick_check} when asked for. SQLite has no server, no
 * sessions and no counters; the database is called {@code main}, as SQLite calls it.
 */
final class SqliteCollector implements Collector {

    /** The name SQLite gives the file it opened, and the {@code database} label here. */
    static final String MAIN = "main";
    private static final int MAX_PROBLEMS = 10;

    private final Path file;

    SqliteCollector(String file) {
        this.file = Path.of(file);
    }

    @Override
    public Reading collect(Connection c, CollectRequest request) throws SQLException {
        List<Gauge> gauges = new ArrayList<>();
        String version;
        long pageCount;
        long pageSize;
        Reading.Integrity integrity = null;
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(request.queryTimeoutSeconds());
            version = single(st, "SELECT sqlite_version()");
            pageCount = Long.parseLong(single(st, "PRAGMA page_count"));
            pageSize = Long.parseLong(single(st, "PRAGMA page_size"));
            long freelist = Long.parseLong(single(st, "PRAGMA freelist_count"));
            gauges.add(new Gauge("dbperf.sqlite.page_count", pageCount, "", MAIN, Map.of()));
            gauges.add(new Gauge("dbperf.sqlite.freelist_count", freelist, "", MAIN, Map.of()));
            gauges.add(new Gauge("dbperf.sqlite.free_bytes", freelist * pageSize, "bytes", MAIN, Map.of()));
            if (request.quickCheck()) {
                long started = System.nanoTime();
                List<String> problems = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
                    while (rs.next()) {
                        problems.add(rs.getString(1));
                    }
                }
                boolean ok = problems.equals(List.of("ok"));
                integrity = new Reading.Integrity(ok, ok ? List.of() : problems, (System.nanoTime() - started) / 1e9);
            }
        }
        gauges.add(new Gauge("dbperf.sqlite.file_size", sizeOf(file), "bytes", MAIN, Map.of()));
        gauges.add(new Gauge("dbperf.sqlite.wal_size", sizeOf(Path.of(file + "-wal")), "bytes", MAIN, Map.of()));
        return new Reading(System.currentTimeMillis() / 1000.0, "SQLite " + version, Set.of(MAIN), null, Map.of(),
                Map.of(), Map.of(MAIN, pageCount * pageSize), gauges, integrity, List.of());
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException(sql + " returned no row");
            }
            return rs.getString(1);
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0; // removed between the two calls (a WAL file at checkpoint)
        }
    }
}

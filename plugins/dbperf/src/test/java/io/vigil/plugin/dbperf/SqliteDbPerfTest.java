package io.vigil.plugin.dbperf;

import io.vigil.dbconnect.testing.Databases;
import static io.vigil.plugin.dbperf.MonitorRun.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import io.vigil.testkit.TestMonitorContext;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dbperf monitor on real SQLite files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteDbPerfTest {

    private static final Map<String, String> MAIN = Map.of("database", "main");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("app.db");
    }

    private Connection writer() throws Exception {
        return DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + file()));
    }

    private MonitorRun monitor(Object... options) {
        Map<String, Object> all = new HashMap<>(Map.of("url", "jdbc:sqlite:" + file(), "size_interval", "0s"));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(all);
    }

    /** Adds {@code rows} rows of 1,000 random bytes each. */
    private void grow(int rows) throws Exception {
        try (Connection c = writer()) {
            Databases.exec(c, "CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, data BLOB)",
                    "INSERT INTO blobs (data) SELECT randomblob(1000) FROM (WITH RECURSIVE n(i) AS "
                            + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") SELECT i FROM n)");
        }
    }

    @Test
    void reportsTheLogicalSizeTheFileSizesAndTheFreePages() throws Exception {
        grow(100);
        try (Connection c = writer()) {
            Databases.exec(c, "DELETE FROM blobs WHERE id <= 60");
        }
        try (MonitorRun run = monitor(); Connection c = writer()) {
            assertEquals(List.of(), run.poll());
            long pages = Databases.queryLong(c, "PRAGMA page_count");
            long pageSize = Databases.queryLong(c, "PRAGMA page_size");
            long free = Databases.queryLong(c, "PRAGMA freelist_count");
            assertTrue(free > 0, "deleting 60 of 100 rows frees pages");
            assertEquals((double) pages * pageSize, run.value("dbperf.size", MAIN));
            assertEquals((double) Files.size(file()), run.value("dbperf.sqlite.file_size", MAIN));
            assertEquals((double) pages, run.value("dbperf.sqlite.page_count", MAIN));
            assertEquals((double) free, run.value("dbperf.sqlite.freelist_count", MAIN));
            assertEquals((double) free * pageSize, run.value("dbperf.sqlite.free_bytes", MAIN));
            assertEquals(0.0, run.value("dbperf.sqlite.wal_size", MAIN));
            assertEquals("sqlite:" + file(), run.samples().get(0).labels().get("server"));
            assertEquals(List.of(), run.values("dbperf.connections.total", Map.of()), "SQLite has no sessions");
            assertEquals(List.of(), run.values("dbperf.sqlite.quick_check", Map.of()), "quick_check only when asked");
        }
    }

    @Test
    void inWalModeTheWalFileIsReported() throws Exception {
        grow(10);
        try (MonitorRun run = monitor(); Connection c = writer()) {
            Databases.exec(c, "PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0",
                    "INSERT INTO blobs (data) VALUES (randomblob(5000))");
            run.poll();
            Path wal = Path.of(file() + "-wal");
            assertTrue(Files.size(wal) > 5000);
            assertEquals((double) Files.size(wal), run.value("dbperf.sqlite.wal_size", MAIN));
        }
    }

    @Test
    void fileGrowthPastTheLimitWithinTheWindowRaisesOneMediumEventAndRecoversWhenItLeavesTheWindow() throws Exception {
        grow(20);
        try (MonitorRun run = monitor()) {
            assertEquals(List.of(), run.poll());
            double before = run.value("dbperf.size", MAIN);

            grow(20);
            run.ctx.advance(Duration.ofHours(1));
            Event exceeded = only(run.poll());
            double after = run.value("dbperf.size", MAIN);
            assertEquals("dbperf.size_growth.exceeded", exceeded.type());
            assertEquals(Severity.MEDIUM, exceeded.severity());
            assertEquals("sqlite:" + file(), exceeded.subject());
            assertEquals((long) before, exceeded.attributes().get("baseline_bytes"));
            assertEquals((long) after, exceeded.attributes().get("bytes"));
            assertEquals((after - before) * 100 / before, (double) exceeded.attributes().get("value"), 1e-9);
            assertTrue((double) exceeded.attributes().get("value") > 20);
            assertEquals(after - before, run.value("dbperf.size.growth_rate", MAIN), 1e-9, "bytes per hour");

            run.ctx.advance(Duration.ofHours(1));
            assertEquals(List.of(), run.poll(), "still grown within the window: nothing new");

            run.ctx.advance(Duration.ofHours(23));
            Event recovered = only(run.poll());
            assertEquals("dbperf.size_growth.recovered", recovered.type());
            assertEquals(0.0, recovered.attributes().get("value"));
            assertEquals(exceeded.fingerprint(), recovered.fingerprint());
        }
    }

    @Test
    void growthSmallerThanTheMinimumBytesNeverCountsWhateverItsPercentage() throws Exception {
        grow(20);
        try (MonitorRun run = monitor("size_growth_min_bytes", 10_000_000)) {
            run.poll();
            grow(20);
            run.ctx.advance(Duration.ofHours(1));
            assertEquals(List.of(), run.poll());
            assertTrue(run.value("dbperf.size.growth_pct", MAIN) > 20);
        }
    }

    @Test
    void quickCheckRunsWhenAskedAndACorruptPageRaisesOneCriticalEvent() throws Exception {
        grow(50);
        try (MonitorRun run = monitor("quick_check_interval", "1h")) {
            assertEquals(List.of(), run.poll());
            assertEquals(1.0, run.value("dbperf.sqlite.quick_check", MAIN));

            run.ctx.advance(Duration.ofMinutes(30));
            run.poll();
            assertEquals(List.of(), run.values("dbperf.sqlite.quick_check", MAIN), "not again within the interval");

            corruptPage(2);
            run.ctx.advance(Duration.ofMinutes(30));
            Event failed = only(run.poll());
            assertEquals(0.0, run.value("dbperf.sqlite.quick_check", MAIN));
            assertEquals("dbperf.integrity.failed", failed.type());
            assertEquals(Severity.CRITICAL, failed.severity());
            assertEquals("sqlite:" + file(), failed.subject());
            assertTrue(!((List<?>) failed.attributes().get("problems")).isEmpty());

            run.ctx.advance(Duration.ofHours(1));
            assertEquals(List.of(), run.poll(), "still corrupt: nothing new");
        }
    }

    @Test
    void aMissingFileIsUnreachableOnceAndReachableWhenItAppears() throws Exception {
        try (MonitorRun run = monitor()) {
            Event down = only(run.poll());
            assertEquals("dbperf.unreachable", down.type());
            assertEquals("database file " + file() + " does not exist", down.attributes().get("reason"));
            assertEquals(List.of(), run.poll());

            grow(1);
            Event back = only(run.poll());
            assertEquals("dbperf.reachable", back.type());
            assertEquals(down.fingerprint(), back.fingerprint());
        }
    }

    @Test
    void quickCheckIntervalOnAServerIsRefusedAtCreation() {
        DbPerfMonitorFactory factory = new DbPerfMonitorFactory();
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of("url", "jdbc:postgresql://db1:5432/shop",
                "quick_check_interval", "1h"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
        assertEquals("quick_check_interval is for SQLite files; postgresql://db1:5432/shop is postgresql: leave "
                + "quick_check_interval at 0s", e.getMessage());
    }

    /** Overwrites the b-tree page header of page {@code page} (1-based), as a torn write would. */
    private void corruptPage(int page) throws Exception {
        long pageSize;
        try (Connection c = writer()) {
            pageSize = Databases.queryLong(c, "PRAGMA page_size");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.seek((page - 1) * pageSize);
            raf.write(new byte[] {(byte) 0x0d, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0});
        }
    }
}

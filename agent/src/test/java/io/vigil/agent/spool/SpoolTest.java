package io.vigil.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private static byte[] item(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<byte[]> items) {
        return items.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void batchesComeOutOldestFirstAndLeaveOnlyWhenAcknowledged() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 20)) {
            spool.append(ItemKind.EVENT, item("e1"));
            spool.append(ItemKind.METRIC, item("m1"));
            spool.append(ItemKind.EVENT, item("e2"));

            SpoolBatch first = spool.next(2, 1 << 20, Duration.ZERO);
            assertEquals(List.of("e1"), texts(first.events()));
            assertEquals(List.of("m1"), texts(first.metrics()));
            assertEquals(3, spool.depth(), "nothing leaves before the acknowledgement");

            spool.acknowledge(first);
            assertEquals(1, spool.depth());
            assertEquals(List.of("e2"), texts(spool.next(10, 1 << 20, Duration.ZERO).events()));
        }
    }

    @Test
    void unacknowledgedItemsSurviveAReopen() throws Exception {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file, 1 << 20)) {
            spool.append(ItemKind.EVENT, item("e1"));
            spool.next(10, 1 << 20, Duration.ZERO); // read but never acknowledged: the agent died
        }
        try (Spool spool = Spool.open(file, 1 << 20)) {
            assertEquals(1, spool.depth());
            assertEquals(2, spool.bytes());
            assertEquals(List.of("e1"), texts(spool.next(10, 1 << 20, Duration.ZERO).events()));
        }
    }

    @Test
    void aBatchStopsAtTheByteLimitButAlwaysCarriesOneItem() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 20)) {
            spool.append(ItemKind.EVENT, item("x".repeat(100)));
            spool.append(ItemKind.EVENT, item("y"));
            assertEquals(1, spool.next(10, 10, Duration.ZERO).size());
        }
    }

    @Test
    void whenFullTheOldestMetricSamplesGoBeforeAnyEventAndAreCounted() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 7)) {
            spool.append(ItemKind.EVENT, item("e1"));
            spool.append(ItemKind.METRIC, item("m1"));
            spool.append(ItemKind.METRIC, item("m2"));
            spool.append(ItemKind.EVENT, item("e2"));
            spool.append(ItemKind.EVENT, item("e3")); // each new event over 7 bytes pushes out a metric

            SpoolBatch all = spool.next(100, 1 << 20, Duration.ZERO);
            assertEquals(List.of("e1", "e2", "e3"), texts(all.events()));
            assertEquals(List.of(), texts(all.metrics()));
            assertEquals(2, spool.droppedMetrics());
            assertEquals(0, spool.droppedEvents());
        }
    }

    @Test
    void whenOnlyEventsAreLeftANewEventDisplacesTheOldestAndANewMetricIsRefused() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 4)) {
            spool.append(ItemKind.EVENT, item("e1"));
            spool.append(ItemKind.EVENT, item("e2"));
            assertFalse(spool.append(ItemKind.METRIC, item("m1")));
            assertTrue(spool.append(ItemKind.EVENT, item("e3")));

            assertEquals(List.of("e2", "e3"), texts(spool.next(100, 1 << 20, Duration.ZERO).events()));
            assertEquals(1, spool.droppedEvents());
            assertEquals(1, spool.droppedMetrics());
        }
    }

    @Test
    void aRefusedBatchIsKeptInTheDeadLetterTableWithTheReason() throws Exception {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file, 1 << 20)) {
            spool.append(ItemKind.EVENT, item("bad"));
            spool.deadLetter(spool.next(10, 1 << 20, Duration.ZERO), "HTTP 400: invalid");
            assertEquals(0, spool.depth());
            assertEquals(1, spool.deadLettered());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT payload, reason FROM dead_letter")) {
            assertTrue(rs.next());
            assertEquals("bad", new String(rs.getBytes(1), StandardCharsets.UTF_8));
            assertEquals("HTTP 400: invalid", rs.getString(2));
        }
    }

    @Test
    void aDamagedFileIsMovedAsideAndAFreshSpoolOpens() throws Exception {
        Path file = dir.resolve("spool.db");
        Files.write(file, "this is not a SQLite database, just garbage bytes".repeat(100).getBytes());
        try (Spool spool = Spool.open(file, 1 << 20)) {
            assertTrue(spool.recoveredFromDamage());
            assertEquals(0, spool.depth());
            spool.append(ItemKind.EVENT, item("e1"));
            assertEquals(1, spool.depth());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("spool.db.corrupt-")));
        }
    }

    @Test
    void aTornLastWriteLosesOnlyTheUnfinishedItemAndTheSpoolGoesOn() throws Exception {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        Files.createDirectories(live);
        Files.createDirectories(crashed);
        try (Spool spool = Spool.open(live.resolve("spool.db"), 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                spool.append(ItemKind.EVENT, item("e" + i));
            }
            // The files as a crash would leave them: copied while open, so the items are still in
            // the write-ahead log, whose last frame is then cut short as a torn write would be.
            Files.copy(live.resolve("spool.db"), crashed.resolve("spool.db"));
            Files.copy(live.resolve("spool.db-wal"), crashed.resolve("spool.db-wal"));
        }
        Path wal = crashed.resolve("spool.db-wal");
        try (var channel = java.nio.channels.FileChannel.open(wal, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        try (Spool spool = Spool.open(crashed.resolve("spool.db"), 1 << 20)) {
            assertFalse(spool.recoveredFromDamage(), "a torn tail is recovery, not damage");
            List<String> kept = texts(spool.next(100, 1 << 20, Duration.ZERO).events());
            assertEquals(List.of("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"), kept,
                    "every item committed before the torn one is kept, in order");
            spool.append(ItemKind.EVENT, item("after"));
            assertEquals(10, spool.depth());
        }
    }
}

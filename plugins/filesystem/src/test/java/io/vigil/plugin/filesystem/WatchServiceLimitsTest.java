package io.vigil.plugin.filesystem;

import static io.vigil.plugin.filesystem.TestFiles.context;
import static io.vigil.plugin.filesystem.TestFiles.describe;
import static io.vigil.plugin.filesystem.TestFiles.sha256;
import static io.vigil.plugin.filesystem.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bursts, queue overflows, watch limits and what only the rescan can see. */
@Timeout(60)
class WatchServiceLimitsTest {

    @TempDir
    Path dir;

    @TempDir
    Path outside;

    @Test
    void aBurstOf10000NewFilesIsOneSummaryAndEveryFileIsInTheBaseline() throws Exception {
        Path burst = Files.createDirectories(dir.resolve("burst"));
        TestMonitorContext ctx = context(dir, Map.of("debounce", "1s", "max_delay", "1m"));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            for (int i = 0; i < 10_000; i++) {
                Files.writeString(burst.resolve("f" + i), "content " + i);
            }
            for (int i = 0; i < 100; i++) { // rewritten within the burst: the final content counts
                Files.writeString(burst.resolve("f" + i), "final " + i);
            }

            Event summary = m.awaitEvent("file.changes_summarized");

            assertEquals(Map.of("created", 10_000L), summary.attributes().get("counts"));
            assertEquals(10_000, summary.attributes().get("total"));
            assertEquals(burst.toString(), summary.subject());
            // An overflow of the watch queue is allowed (the machine may be busy); it only adds its own event.
            assertEquals(List.of("file.changes_summarized"), m.events().stream().map(Event::type)
                    .filter(t -> !t.equals("file.watch_overflow")).toList());
            // The baseline is updated right after the events are emitted.
            m.await(() -> TestFiles.stored(ctx, burst).size() == 10_000, "10000 files in the baseline");
            Map<String, String> stored = TestFiles.stored(ctx, burst);
            assertTrue(stored.get(Baseline.FILE_PREFIX + burst.resolve("f7")).contains(sha256("final 7")));
            assertTrue(stored.get(Baseline.FILE_PREFIX + burst.resolve("f9999")).contains(sha256("content 9999")));
        }
    }

    @Test
    void aWatchQueueOverflowIsReportedOnceAndTheDirectoryRescanned() throws Exception {
        Path flood = Files.createDirectories(dir.resolve("flood"));
        TestMonitorContext recorded = context(dir, Map.of("debounce", "50ms", "metrics_interval", "100ms"));
        // A slow emitter (a full spool, a slow disk) holds the monitor thread while the OS keeps
        // queueing: the JDK keeps 512 events per directory and then signals OVERFLOW.
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        recorded.beforeEachEvent(event -> {
            if (event.subject().endsWith("/gate")) {
                blocked.countDown();
                await(release);
            }
        });
        try (RunningMonitor m = RunningMonitor.start(recorded, recorded)) {
            write(dir.resolve("gate"), "");
            await(blocked);
            for (int i = 0; i < 2_000; i++) {
                Files.writeString(flood.resolve("f" + i), "x" + i);
            }
            Thread.sleep(300); // lets the JDK's poller thread queue what inotify delivered
            release.countDown();

            Event overflow = m.awaitEvent("file.watch_overflow");
            Event summary = m.awaitEvent("file.changes_summarized");
            m.await(() -> m.samples(FilesystemMetrics.OVERFLOWS_TOTAL).stream().anyMatch(s -> s.value() == 1.0),
                    "overflows_total 1");

            assertEquals(Severity.LOW, overflow.severity());
            assertEquals(1, overflow.attributes().get("directory_count"));
            assertEquals(List.of(flood.toString()), overflow.attributes().get("directories"));
            assertEquals(Map.of("created", 2_000L), summary.attributes().get("counts"));
            assertEquals(List.of("file.created", "file.watch_overflow", "file.changes_summarized"),
                    m.events().stream().map(Event::type).toList());
            m.await(() -> TestFiles.stored(recorded, flood).size() == 2_000, "2000 files in the baseline");
        }
    }

    @Test
    void aWriteThroughAHardLinkOutsideTheTreeIsInvisibleToTheWatchService() throws Exception {
        Path data = write(dir.resolve("data.txt"), "v1");
        Path link = Files.createLink(outside.resolve("link"), data);
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.writeString(link, "v2");
            write(dir.resolve("sentinel"), "");

            m.awaitEvent("file.created", dir.resolve("sentinel"));

            // inotify reports a write to the directory it was made through; this is why the rescan exists.
            assertEquals(List.of("file.created sentinel"), describe(m.events(), dir));
        }
    }

    @Test
    void thePeriodicRescanCatchesWhatTheWatchServiceMissed() throws Exception {
        Path data = write(dir.resolve("data.txt"), "v1");
        Path link = Files.createLink(outside.resolve("link"), data);
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of("rescan_interval", "300ms")))) {
            Files.writeString(link, "v2");

            Event e = m.awaitEvent("file.modified", data);

            assertEquals(sha256("v1"), e.attributes().get("sha256_before"));
            assertEquals(sha256("v2"), e.attributes().get("sha256_after"));
            assertEquals(List.of("file.modified data.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void beyondTheWatchLimitOneWatchLimitEventAndTheRescanCoversTheRest() throws Exception {
        for (String d : List.of("d1", "d2", "d3")) {
            Files.createDirectories(dir.resolve(d));
        }
        TestMonitorContext ctx = context(dir, Map.of("max_watched_directories", 2, "rescan_interval", "300ms"));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of("file.watch_limit", "file.baseline"),
                    m.startupEvents().stream().map(Event::type).toList());
            Event limit = m.startupEvents().get(0);
            assertEquals(Severity.MEDIUM, limit.severity());
            assertEquals("max_watched_directories is 2", limit.attributes().get("reason"));
            assertEquals(2, limit.attributes().get("watched_directories"));
            assertEquals(2.0, m.lastValue(FilesystemMetrics.DIRECTORIES_WATCHED, Map.of()));
            assertEquals(2.0, m.lastValue(FilesystemMetrics.DIRECTORIES_UNWATCHED, Map.of()));

            for (String d : List.of("d1", "d2", "d3")) {
                write(dir.resolve(d).resolve("f"), d);
            }
            for (String d : List.of("d1", "d2", "d3")) {
                m.awaitEvent("file.created", dir.resolve(d).resolve("f"));
            }
            int rescans = m.samples(FilesystemMetrics.RESCAN_DURATION).size();
            m.await(() -> m.samples(FilesystemMetrics.RESCAN_DURATION).size() >= rescans + 2, "two more rescans");

            assertEquals(List.of(), m.events("file.watch_limit"));
            assertEquals(3, m.events("file.created").size());
        }
    }

    @Test
    void theKernelsWatchLimitErrorsAreRecognised() {
        assertTrue(Watcher.isWatchLimit(new IOException("User limit of inotify watches reached")));
        assertTrue(Watcher.isWatchLimit(new IOException("No space left on device")));
        assertEquals(false, Watcher.isWatchLimit(new IOException("Permission denied")));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS), "latch not released");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

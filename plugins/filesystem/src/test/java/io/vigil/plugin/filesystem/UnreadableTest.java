package io.vigil.plugin.filesystem;

import static io.vigil.plugin.filesystem.TestFiles.context;
import static io.vigil.plugin.filesystem.TestFiles.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that cannot be read. The tests run as root, which reads a mode-000 file without trouble,
 * so they use a file the kernel refuses even to root: {@code /proc/sys/vm/drop_caches} is
 * write-only (mode 0200) and procfs applies that mode to root as well.
 */
@Timeout(30)
class UnreadableTest {

    private static final Path WRITE_ONLY = Path.of("/proc/sys/vm/drop_caches");

    @TempDir
    Path dir;

    @Test
    void aFileNobodyCanReadIsReportedOnceNotAtEveryRescanNorAfterARestart() throws Exception {
        assumeTrue(Files.isRegularFile(WRITE_ONLY) && isUnreadable(WRITE_ONLY), WRITE_ONLY + " is readable here");
        TestMonitorContext ctx = context(dir, Map.of("paths", List.of(dir.toString(), WRITE_ONLY.toString()),
                "rescan_interval", "200ms"));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of("file.unreadable", "file.baseline"),
                    m.startupEvents().stream().map(Event::type).toList());
            Event e = m.startupEvents().get(0);
            assertEquals(Severity.LOW, e.severity());
            assertEquals(WRITE_ONLY.toString(), e.subject());
            assertEquals("Permission denied", e.attributes().get("reason"));
            assertEquals("file", e.attributes().get("file_type"));
            assertEquals(WRITE_ONLY + " cannot be read: Permission denied", e.title());
            assertEquals(1L, m.startupEvents().get(1).attributes().get("unreadable"));

            int rescans = m.samples(FilesystemMetrics.RESCAN_DURATION).size();
            m.await(() -> m.samples(FilesystemMetrics.RESCAN_DURATION).size() >= rescans + 3, "three rescans");

            assertEquals(List.of(), describe(m.events(), dir));
            assertEquals(1.0, m.lastValue(FilesystemMetrics.FILES_UNREADABLE, Map.of()));
        }
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of(), m.startupEvents());
        }
    }

    private static boolean isUnreadable(Path p) {
        try (var in = Files.newInputStream(p)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}

package io.vigil.plugin.filesystem;

import static io.vigil.plugin.filesystem.TestFiles.context;
import static io.vigil.plugin.filesystem.TestFiles.describe;
import static io.vigil.plugin.filesystem.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The baseline in the state store: the first start, and changes made while the agent was stopped. */
@Timeout(30)
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartRecordsTheBaselineSilentlyWithOneBaselineEvent() throws Exception {
        write(dir.resolve("a.txt"), "aaa");
        write(dir.resolve("b.txt"), "bb");
        write(dir.resolve("sub/c.txt"), "c");
        TestMonitorContext ctx = context(dir, Map.of());

        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(1, m.startupEvents().size());
            Event e = m.startupEvents().get(0);
            assertEquals("file.baseline", e.type());
            assertEquals(Severity.INFO, e.severity());
            assertEquals(List.of(dir.toString()), e.attributes().get("roots"));
            assertEquals(3L, e.attributes().get("files"));
            assertEquals(2L, e.attributes().get("directories"));
            assertEquals(6L, e.attributes().get("bytes"));
            assertEquals(0L, e.attributes().get("unhashed"));
            assertEquals(0L, e.attributes().get("unreadable"));
            assertEquals(List.of(), e.attributes().get("missing_roots"));
            assertEquals("Baseline recorded: 3 files, 2 directories under " + dir, e.title());
        }
        assertEquals(4, TestFiles.stored(ctx, dir).size()); // a.txt, b.txt, sub, sub/c.txt
    }

    @Test
    void changesMadeWhileStoppedAreReportedAtTheNextStartExactlyOnce() throws Exception {
        Path modified = write(dir.resolve("modified.txt"), "before");
        Path deleted = write(dir.resolve("deleted.txt"), "bye");
        Path chmodded = write(dir.resolve("chmodded.txt"), "x");
        Path created = dir.resolve("created.txt");
        TestMonitorContext ctx = context(dir, Map.of());
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of("file.baseline"), describe(m.startupEvents(), dir));
        }

        Files.writeString(modified, "after");
        Files.delete(deleted);
        Files.setPosixFilePermissions(chmodded, PosixFilePermissions.fromString("rw-rw-rw-"));
        write(created, "new");

        try (RunningMonitor m = RunningMonitor.start(ctx)) { // a new instance over the same state
            assertEquals(List.of("file.permissions_changed chmodded.txt", "file.created created.txt",
                    "file.deleted deleted.txt", "file.modified modified.txt"), describe(m.startupEvents(), dir));
        }
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of(), describe(m.startupEvents(), dir));
        }
    }

    @Test
    void aRestartWithoutChangesIsSilentAndKeepsWatching() throws Exception {
        write(dir.resolve("a.txt"), "a");
        TestMonitorContext ctx = context(dir, Map.of());
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            m.startupEvents();
        }
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(List.of(), m.startupEvents());
            Path b = write(dir.resolve("b.txt"), "b");
            m.awaitEvent("file.created", b);
            assertEquals(List.of("file.created b.txt"), describe(m.events(), dir));
        }
    }
}

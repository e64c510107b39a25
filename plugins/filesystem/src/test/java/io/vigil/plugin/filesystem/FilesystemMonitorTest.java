package io.vigil.plugin.filesystem;

import static io.vigil.plugin.filesystem.TestFiles.context;
import static io.vigil.plugin.filesystem.TestFiles.describe;
import static io.vigil.plugin.filesystem.TestFiles.sha256;
import static io.vigil.plugin.filesystem.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Changes to single files, seen through the real OS watch service. */
@Timeout(30)
class FilesystemMonitorTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileIsOneCreatedEventWithItsHashSizeModeAndOwner() throws Exception {
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Path file = write(dir.resolve("a.txt"), "hello");

            Event e = m.awaitEvent("file.created", file);

            assertEquals(Severity.LOW, e.severity());
            assertEquals(file.toString(), e.subject());
            assertEquals(file + " created", e.title());
            assertEquals("file", e.attributes().get("file_type"));
            assertEquals(5L, e.attributes().get("size"));
            assertEquals(sha256("hello"), e.attributes().get("sha256"));
            assertEquals("0644", e.attributes().get("mode"));
            assertEquals("root", e.attributes().get("owner"));
            assertEquals("root", e.attributes().get("group"));
            assertEquals(List.of("file.created a.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void changedContentIsOneModifiedEventWithHashesAndSizesBeforeAndAfter() throws Exception {
        Path file = write(dir.resolve("a.txt"), "hello");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.writeString(file, "hello world");

            Event e = m.awaitEvent("file.modified", file);

            assertEquals(Severity.LOW, e.severity());
            assertEquals(5L, e.attributes().get("size_before"));
            assertEquals(11L, e.attributes().get("size_after"));
            assertEquals(sha256("hello"), e.attributes().get("sha256_before"));
            assertEquals(sha256("hello world"), e.attributes().get("sha256_after"));
            assertEquals(true, e.attributes().get("hashed"));
            assertEquals(List.of("file.modified a.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void chmodIsOnePermissionsChangedEventAndNotAModification() throws Exception {
        Path file = write(dir.resolve("a.txt"), "hello");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            assertEquals(0, new ProcessBuilder("chmod", "4750", file.toString()).start().waitFor());

            Event e = m.awaitEvent("file.permissions_changed", file);

            assertEquals("0644", e.attributes().get("mode_before"));
            assertEquals("4750", e.attributes().get("mode_after"));
            assertEquals(List.of("mode"), e.attributes().get("changed"));
            assertEquals(file + " permissions changed: mode 0644 → 4750", e.title());
            write(dir.resolve("sentinel"), "");
            m.awaitEvent("file.created", dir.resolve("sentinel"));
            assertEquals(List.of("file.permissions_changed a.txt", "file.created sentinel"), describe(m.events(), dir));
        }
    }

    @Test
    void chownIsAPermissionsChangedEventNamingBothOwners() throws Exception {
        Path file = write(dir.resolve("a.txt"), "hello");
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.setOwner(file, nobody);

            Event e = m.awaitEvent("file.permissions_changed", file);

            assertEquals(List.of("owner"), e.attributes().get("changed"));
            assertEquals("root", e.attributes().get("owner_before"));
            assertEquals("nobody", e.attributes().get("owner_after"));
        }
    }

    @Test
    void aDeletedFileIsOneDeletedEventWithItsLastKnownHash() throws Exception {
        Path file = write(dir.resolve("a.txt"), "hello");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.delete(file);

            Event e = m.awaitEvent("file.deleted", file);

            assertEquals(sha256("hello"), e.attributes().get("sha256"));
            assertEquals(5L, e.attributes().get("size"));
            assertEquals(List.of("file.deleted a.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void deletingAWholeWatchedRootReportsEveryPathDeletedAndTheMonitorKeepsRunning() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        write(root.resolve("a.txt"), "a");
        write(root.resolve("sub/b.txt"), "b");
        TestMonitorContext ctx = context(root, Map.of());
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            assertEquals(0, new ProcessBuilder("rm", "-r", root.toString()).start().waitFor());

            m.awaitEvent("file.deleted", root.resolve("sub/b.txt"));
            m.awaitEvent("file.deleted", root);

            m.await(() -> m.events().size() == 4, "four deletions");
            assertEquals(List.of("file.deleted root", "file.deleted root/a.txt", "file.deleted root/sub",
                    "file.deleted root/sub/b.txt"), describe(m.events().stream()
                    .sorted(java.util.Comparator.comparing(e -> (String) e.attributes().get("path"))).toList(), dir));
            m.await(() -> TestFiles.stored(ctx, dir).isEmpty(), "an empty baseline");
        }
    }

    @Test
    void aRootThatDoesNotExistYetIsReportedMissingAndWatchedFromItsParent() throws Exception {
        Path later = dir.resolve("later");
        try (RunningMonitor m = RunningMonitor.start(context(later, Map.of()))) {
            assertEquals(List.of(later.toString()), m.startupEvents().get(0).attributes().get("missing_roots"));

            write(later.resolve("x.txt"), "x");

            m.awaitEvent("file.created", later.resolve("x.txt"));
            assertEquals(List.of("file.created later", "file.created later/x.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void aRenameIsOneRenamedEventRecognisedByItsInode() throws Exception {
        Path from = write(dir.resolve("a.txt"), "hello");
        Path to = dir.resolve("b.txt");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.move(from, to);

            Event e = m.awaitEvent("file.renamed", to);

            assertEquals(from.toString(), e.attributes().get("from"));
            assertEquals(to.toString(), e.attributes().get("to"));
            assertEquals("inode", e.attributes().get("matched_by"));
            assertEquals(sha256("hello"), e.attributes().get("sha256"));
            assertEquals(List.of("file.renamed b.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void aCopyFollowedByDeletingTheOriginalIsOneRenameRecognisedByContent() throws Exception {
        Path from = write(dir.resolve("a.txt"), "hello");
        Path to = dir.resolve("b.txt");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of("debounce", "300ms")))) {
            Files.copy(from, to);
            Files.delete(from);

            Event e = m.awaitEvent("file.renamed", to);

            assertEquals("content", e.attributes().get("matched_by"));
            assertEquals(List.of("file.renamed b.txt"), describe(m.events(), dir));
        }
    }

    @Test
    void rewritingIdenticalContentIsNotAModification() throws Exception {
        Path file = write(dir.resolve("a.txt"), "hello");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Files.writeString(file, "hello");
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            write(dir.resolve("sentinel"), "");

            m.awaitEvent("file.created", dir.resolve("sentinel"));

            assertEquals(List.of("file.created sentinel"), describe(m.events(), dir));
        }
    }

    @Test
    void anEditorsWriteToTempThenRenameOverTheFileIsOneModifiedEvent() throws Exception {
        Path file = write(dir.resolve("config.yml"), "port: 80\n");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Path temp = write(dir.resolve(".config.yml.swx"), "port: 8080\n");
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            write(dir.resolve("sentinel"), "");

            m.awaitEvent("file.created", dir.resolve("sentinel"));
            Event e = m.awaitEvent("file.modified", file);

            assertEquals(sha256("port: 80\n"), e.attributes().get("sha256_before"));
            assertEquals(sha256("port: 8080\n"), e.attributes().get("sha256_after"));
            assertEquals(List.of("file.modified config.yml", "file.created sentinel"), describe(m.events(), dir));
        }
    }

    @Test
    void directoriesCreatedAfterStartAreRecordedAndWatched() throws Exception {
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Path nested = Files.createDirectories(dir.resolve("a/b/c"));
            write(nested.resolve("first.txt"), "1");
            m.awaitEvent("file.created", nested.resolve("first.txt"));

            // With a 10-minute rescan, only a watch on a/b/c can report this one.
            write(nested.resolve("second.txt"), "2");
            m.awaitEvent("file.created", nested.resolve("second.txt"));

            assertEquals(List.of("file.created a", "file.created a/b", "file.created a/b/c",
                    "file.created a/b/c/first.txt", "file.created a/b/c/second.txt"), describe(m.events(), dir));
            assertEquals("directory", m.events().get(0).attributes().get("file_type"));
        }
    }

    @Test
    void excludedFilesAndEverythingBelowAnExcludedDirectoryAreIgnored() throws Exception {
        Files.createDirectories(dir.resolve("cache"));
        TestMonitorContext ctx = context(dir, Map.of("exclude", List.of("*.swp", dir.resolve("cache").toString())));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            write(dir.resolve("notes.swp"), "x");
            write(dir.resolve("cache/blob"), "x");
            Files.createDirectories(dir.resolve("cache/deeper"));
            write(dir.resolve("cache/deeper/blob"), "x");
            write(dir.resolve("sentinel"), "");

            m.awaitEvent("file.created", dir.resolve("sentinel"));

            assertEquals(List.of("file.created sentinel"), describe(m.events(), dir));
            // The baseline is updated right after the events are emitted.
            m.await(() -> TestFiles.stored(ctx, dir).size() == 1, "the sentinel in the baseline");
            assertEquals(List.of(Baseline.FILE_PREFIX + dir.resolve("sentinel")),
                    List.copyOf(TestFiles.stored(ctx, dir).keySet()));
        }
    }

    @Test
    void includeGlobsLimitWhatIsRecorded() throws Exception {
        TestMonitorContext ctx = context(dir, Map.of("include", List.of("*.conf")));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            write(dir.resolve("sub/app.conf"), "a=1");
            write(dir.resolve("sub/readme.txt"), "x");

            m.awaitEvent("file.created", dir.resolve("sub/app.conf"));
            write(dir.resolve("sentinel.conf"), "");
            m.awaitEvent("file.created", dir.resolve("sentinel.conf"));

            assertEquals(List.of("file.created sub/app.conf", "file.created sentinel.conf"), describe(m.events(), dir));
        }
    }

    @Test
    void severityRulesGiveTheHighestMatchingSeverityAndTheDefaultOtherwise() throws Exception {
        Path conf = write(dir.resolve("app.conf"), "a=1");
        Path db = write(dir.resolve("data.db"), "rows");
        Path other = write(dir.resolve("data2.db"), "rows");
        TestMonitorContext ctx = context(dir, Map.of("severity_rules",
                Map.of("*.conf", "medium", "deleted:**/*.db", "critical", "**/app.*", "high")));
        try (RunningMonitor m = RunningMonitor.start(ctx)) {
            Files.writeString(conf, "a=2");
            Files.delete(db);
            Files.writeString(other, "more rows");

            assertEquals(Severity.HIGH, m.awaitEvent("file.modified", conf).severity());
            assertEquals(Severity.CRITICAL, m.awaitEvent("file.deleted", db).severity());
            assertEquals(Severity.LOW, m.awaitEvent("file.modified", other).severity());
        }
    }

    @Test
    void moreChangesThanTheBatchCapAreOneSummaryWithCounts() throws Exception {
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of("max_events_per_batch", 3, "debounce", "500ms")))) {
            for (int i = 0; i < 5; i++) {
                write(dir.resolve("f" + i), "x" + i);
            }

            Event e = m.awaitEvent("file.changes_summarized");

            assertEquals(Severity.LOW, e.severity());
            assertEquals(dir.toString(), e.subject());
            assertEquals(Map.of("created", 5L), e.attributes().get("counts"));
            assertEquals(5, e.attributes().get("total"));
            assertEquals(5, ((List<?>) e.attributes().get("sample_paths")).size());
            assertEquals(5 + " changes under " + dir + " summarized: 5 created", e.title());
            assertEquals(List.of("file.changes_summarized"), describe(m.events(), dir));
        }
    }

    @Test
    void aDanglingSymlinkIsRecordedAsALinkWithoutBeingFollowed() throws Exception {
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/nonexistent/target"));

            Event e = m.awaitEvent("file.created", link);

            assertEquals("symlink", e.attributes().get("file_type"));
            assertEquals("/nonexistent/target", e.attributes().get("link_target"));
            assertEquals(null, e.attributes().get("sha256"));
            assertEquals(List.of("file.created link"), describe(m.events(), dir));
        }
    }

    @Test
    void aFifoIsRecordedWithoutBeingOpened() throws Exception {
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of()))) {
            Path fifo = dir.resolve("pipe");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

            Event e = m.awaitEvent("file.created", fifo);
            write(dir.resolve("sentinel"), ""); // the monitor is not stuck reading the pipe
            m.awaitEvent("file.created", dir.resolve("sentinel"));

            assertEquals("other", e.attributes().get("file_type"));
            assertEquals(null, e.attributes().get("sha256"));
        }
    }

    @Test
    void metricsCountWatchedFilesDirectoriesAndEmittedEventsByType() throws Exception {
        write(dir.resolve("sub/a.txt"), "a");
        try (RunningMonitor m = RunningMonitor.start(context(dir, Map.of("metrics_interval", "100ms")))) {
            Path b = write(dir.resolve("b.txt"), "b");
            m.awaitEvent("file.created", b);
            int before = m.samples(FilesystemMetrics.FILES_WATCHED).size();
            m.await(() -> m.samples(FilesystemMetrics.FILES_WATCHED).size() > before, "the next metrics");

            assertEquals(4.0, m.lastValue(FilesystemMetrics.FILES_WATCHED, Map.of()));
            assertEquals(2.0, m.lastValue(FilesystemMetrics.DIRECTORIES_WATCHED, Map.of()));
            assertEquals(0.0, m.lastValue(FilesystemMetrics.DIRECTORIES_UNWATCHED, Map.of()));
            assertEquals(1.0, m.lastValue(FilesystemMetrics.EVENTS_TOTAL, Map.of("type", "file.created")));
            assertEquals(0.0, m.lastValue(FilesystemMetrics.EVENTS_TOTAL, Map.of("type", "file.deleted")));
            assertEquals(0.0, m.lastValue(FilesystemMetrics.OVERFLOWS_TOTAL, Map.of()));
            assertEquals("seconds", m.samples(FilesystemMetrics.RESCAN_DURATION).get(0).unit());
        }
    }
}

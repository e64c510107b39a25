package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenameMatcherTest {

    private final RenameMatcher matcher = new RenameMatcher();

    private static FileRecord record(long inode, long mtime, String hash, long size) {
        return new FileRecord(FileKind.FILE, size, mtime, mtime, 0644, "root", "root", hash, inode, 1, null, null);
    }

    private static Change deleted(String path, FileRecord r) {
        return Change.of(ChangeType.DELETED, Path.of(path), r, null);
    }

    private static Change created(String path, FileRecord r) {
        return Change.of(ChangeType.CREATED, Path.of(path), null, r);
    }

    @Test
    void theSameInodeAndMtimeIsARename() {
        List<Change> deleted = new ArrayList<>(List.of(deleted("/a", record(7, 100, "h", 3))));
        List<Change> created = new ArrayList<>(List.of(created("/b", record(7, 100, "h", 3))));

        List<Change> renames = matcher.match(deleted, created);

        assertEquals(1, renames.size());
        assertEquals(Path.of("/a"), renames.get(0).from());
        assertEquals(Path.of("/b"), renames.get(0).path());
        assertEquals(List.of(), deleted);
        assertEquals(List.of(), created);
    }

    @Test
    void anInodeNumberReusedByANewFileIsNotARename() {
        List<Change> deleted = new ArrayList<>(List.of(deleted("/a", record(7, 100, "h1", 3))));
        List<Change> created = new ArrayList<>(List.of(created("/b", record(7, 200, "h2", 5))));

        assertEquals(List.of(), matcher.match(deleted, created));
        assertEquals(1, deleted.size());
        assertEquals(1, created.size());
    }

    @Test
    void theSameContentOnAnotherInodeIsARename() {
        List<Change> deleted = new ArrayList<>(List.of(deleted("/a", record(7, 100, "h", 3))));
        List<Change> created = new ArrayList<>(List.of(created("/b", record(8, 200, "h", 3))));

        assertEquals(1, matcher.match(deleted, created).size());
    }

    @Test
    void emptyFilesAreNotMatchedByContent() {
        String empty = TestFiles.sha256("");
        List<Change> deleted = new ArrayList<>(List.of(deleted("/a.lock", record(7, 100, empty, 0))));
        List<Change> created = new ArrayList<>(List.of(created("/b.lock", record(8, 200, empty, 0))));

        assertEquals(List.of(), matcher.match(deleted, created));
    }

    @Test
    void eachDeletionPairsWithOneCreationOnly() {
        List<Change> deleted = new ArrayList<>(List.of(deleted("/a", record(7, 100, "h", 3))));
        List<Change> created = new ArrayList<>(List.of(created("/b", record(8, 200, "h", 3)),
                created("/c", record(9, 300, "h", 3))));

        assertEquals(1, matcher.match(deleted, created).size());
        assertEquals(1, created.size());
    }
}

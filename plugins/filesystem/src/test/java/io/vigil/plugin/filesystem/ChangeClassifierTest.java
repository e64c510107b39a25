package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeClassifierTest {

    private static final Path P = Path.of("/etc/app.conf");
    private final ChangeClassifier classifier = new ChangeClassifier();

    static FileRecord file(String hash, long size, long mtime, int mode, String owner) {
        return new FileRecord(FileKind.FILE, size, mtime, mtime, mode, owner, "root", hash, 10, 1, null, null);
    }

    private List<ChangeType> types(FileRecord before, FileRecord after) {
        return classifier.classify(P, before, after).stream().map(Change::type).toList();
    }

    @Test
    void sameHashWithANewMtimeIsNoChange() {
        assertEquals(List.of(), types(file("h1", 5, 1, 0644, "root"), file("h1", 5, 2, 0644, "root")));
    }

    @Test
    void anUnhashedFileWithANewMtimeIsModified() {
        assertEquals(List.of(ChangeType.MODIFIED), types(file(null, 5, 1, 0644, "root"), file(null, 5, 2, 0644, "root")));
    }

    @Test
    void contentAndModeChangedTogetherAreTwoChanges() {
        assertEquals(List.of(ChangeType.MODIFIED, ChangeType.PERMISSIONS_CHANGED),
                types(file("h1", 5, 1, 0644, "root"), file("h2", 5, 2, 0600, "root")));
    }

    @Test
    void anOwnerChangeIsAPermissionsChange() {
        assertEquals(List.of(ChangeType.PERMISSIONS_CHANGED),
                types(file("h1", 5, 1, 0644, "root"), file("h1", 5, 1, 0644, "nobody")));
    }

    @Test
    void becomingUnreadableIsReportedOnceAndNotAsAModification() {
        FileRecord readable = file("h1", 5, 1, 0644, "root");
        FileRecord unreadable = file(null, 9, 2, 0644, "root").withUnreadable("Permission denied");
        assertEquals(List.of(ChangeType.UNREADABLE), types(readable, unreadable));
        assertEquals(List.of(), types(unreadable, unreadable));
    }

    @Test
    void aNewUnreadableFileIsCreatedAndUnreadable() {
        assertEquals(List.of(ChangeType.CREATED, ChangeType.UNREADABLE),
                types(null, FileRecord.unknown("Permission denied")));
    }

    @Test
    void aDirectoryWhoseMtimeAndSizeChangedIsUnchanged() {
        FileRecord before = new FileRecord(FileKind.DIRECTORY, 4096, 1, 1, 0755, "root", "root", null, 3, 1, null, null);
        FileRecord after = new FileRecord(FileKind.DIRECTORY, 8192, 2, 2, 0755, "root", "root", null, 3, 1, null, null);
        assertEquals(List.of(), types(before, after));
    }

    @Test
    void aRetargetedSymlinkIsModified() {
        FileRecord before = new FileRecord(FileKind.SYMLINK, 4, 1, 1, 0777, "root", "root", null, 3, 1, "/old", null);
        FileRecord after = new FileRecord(FileKind.SYMLINK, 4, 1, 1, 0777, "root", "root", null, 3, 1, "/new", null);
        assertEquals(List.of(ChangeType.MODIFIED), types(before, after));
    }
}

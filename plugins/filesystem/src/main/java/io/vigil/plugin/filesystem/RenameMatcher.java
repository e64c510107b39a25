package io.vigil.plugin.filesystem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a deletion and a creation in the same batch into one rename when they are the same file:
 * <ol>
 * <li>the same inode on the same device with the same mtime and kind (a rename keeps all three;
 *     requiring the mtime stops an inode number the filesystem reused for a new file from
 *     passing as a rename), or else</li>
 * <li>the same non-empty content (same SHA-256 and size): a move across filesystems, or a copy
 *     followed by a delete. Empty files are not matched by content: they all look alike.</li>
 * </ol>
 * A batch is one debounce window, so this is "within the debounce window". Each deletion pairs
 * with at most one creation.
 */
final class RenameMatcher {

    /**
     * The renames found among {@code deleted} and {@code created}; matched entries are removed
     * from both lists, which then hold the plain deletions and creations.
     */
    List<Change> match(List<Change> deleted, List<Change> created) {
        List<Change> renames = new ArrayList<>();
        if (deleted.isEmpty() || created.isEmpty()) {
            return renames;
        }
        Map<String, Change> byInode = new HashMap<>();
        Map<String, Change> byContent = new HashMap<>();
        for (Change d : deleted) {
            FileRecord r = d.before();
            if (r.inode() != 0) {
                byInode.putIfAbsent(inodeKey(r), d);
            }
            if (hasContentKey(r)) {
                byContent.putIfAbsent(contentKey(r), d);
            }
        }
        Set<Change> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Iterator<Change> it = created.iterator(); it.hasNext(); ) {
            Change c = it.next();
            FileRecord now = c.after();
            Change gone = byInode.get(inodeKey(now));
            if (gone == null || matched.contains(gone) || !isSameInode(gone.before(), now)) {
                gone = hasContentKey(now) ? byContent.get(contentKey(now)) : null;
            }
            if (gone == null || matched.contains(gone)) {
                continue;
            }
            matched.add(gone);
            it.remove();
            renames.add(new Change(ChangeType.RENAMED, c.path(), gone.before(), now, gone.path()));
        }
        deleted.removeIf(matched::contains);
        return renames;
    }

    /** Whether a rename was recognised by its inode (else it was by its content). */
    static boolean isSameInode(FileRecord before, FileRecord after) {
        return before.sameInode(after) && before.mtimeNanos() == after.mtimeNanos() && before.kind() == after.kind();
    }

    private static String inodeKey(FileRecord r) {
        return r.device() + ":" + r.inode();
    }

    private static boolean hasContentKey(FileRecord r) {
        return r.kind() == FileKind.FILE && r.sha256() != null && r.size() > 0;
    }

    private static String contentKey(FileRecord r) {
        return r.sha256() + ":" + r.size();
    }
}

package io.vigil.plugin.filesystem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what changed between a path's baseline record and its current one. This is where
 * "really changed" is defined:
 * <ul>
 * <li>content: a different hash, or for unhashed files a different size or mtime; an identical
 *     rewrite (same hash, new mtime) is not a modification, and neither is a touch;</li>
 * <li>metadata: mode (including setuid/setgid/sticky), owner or group;</li>
 * <li>a path that becomes unreadable is reported once, not again while it stays unreadable.</li>
 * </ul>
 * Content and metadata changes of one path are two events: they mean different things.
 */
final class ChangeClassifier {

    /** The changes from {@code before} to {@code after}; either may be {@code null} (absent). */
    List<Change> classify(Path path, FileRecord before, FileRecord after) {
        List<Change> changes = new ArrayList<>(2);
        if (before == null && after == null) {
            return changes;
        }
        if (before == null) {
            changes.add(Change.of(ChangeType.CREATED, path, null, after));
            if (after.isUnreadable()) {
                changes.add(Change.of(ChangeType.UNREADABLE, path, null, after));
            }
            return changes;
        }
        if (after == null) {
            changes.add(Change.of(ChangeType.DELETED, path, before, null));
            return changes;
        }
        if (after.isUnreadable()) {
            if (!before.isUnreadable()) {
                changes.add(Change.of(ChangeType.UNREADABLE, path, before, after));
            }
        } else if (!before.sameContent(after) && before.hasStat()) {
            changes.add(Change.of(ChangeType.MODIFIED, path, before, after));
        }
        if (before.hasStat() && after.hasStat() && !before.sameMetadata(after)) {
            changes.add(Change.of(ChangeType.PERMISSIONS_CHANGED, path, before, after));
        }
        return changes;
    }
}

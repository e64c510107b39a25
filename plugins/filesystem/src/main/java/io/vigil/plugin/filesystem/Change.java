package io.vigil.plugin.filesystem;

import java.nio.file.Path;

/**
 * One net change of one path, found by comparing the disk with the baseline.
 *
 * @param type   what happened
 * @param path   the path it happened to (for a rename, the new name)
 * @param before the baseline's record; {@code null} for a creation
 * @param after  the current record; {@code null} for a deletion
 * @param from   for a rename, the old name; else {@code null}
 */
record Change(ChangeType type, Path path, FileRecord before, FileRecord after, Path from) {

    static Change of(ChangeType type, Path path, FileRecord before, FileRecord after) {
        return new Change(type, path, before, after, null);
    }
}

package io.vigil.plugin.filesystem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The paths to compare with the baseline in one go.
 *
 * @param paths    single paths that something happened to
 * @param subtrees directories to compare entirely, both what is on disk below them and what the
 *                 baseline holds below them (a directory that appeared, vanished or overflowed)
 */
record Batch(Set<Path> paths, Set<Path> subtrees) {

    boolean isEmpty() {
        return paths.isEmpty() && subtrees.isEmpty();
    }

    /** The subtrees without those inside another one, which the outer walk covers already. */
    List<Path> outermostSubtrees() {
        List<Path> sorted = new ArrayList<>(subtrees);
        sorted.sort(null);
        List<Path> outer = new ArrayList<>();
        for (Path p : sorted) {
            // Sorted order puts /a before /a/b, so the last kept entry is the only candidate parent.
            if (outer.isEmpty() || !p.startsWith(outer.get(outer.size() - 1))) {
                outer.add(p);
            }
        }
        return outer;
    }
}

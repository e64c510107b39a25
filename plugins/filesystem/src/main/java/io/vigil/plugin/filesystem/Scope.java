package io.vigil.plugin.filesystem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which paths the monitor is responsible for: everything under the configured roots, minus
 * excluded paths and whatever lies below an excluded directory, and, when include globs are
 * given, only the paths that match one. A root named explicitly is always recorded, include or
 * not: the operator asked for it by name.
 */
final class Scope {

    private final List<Path> roots;
    private final GlobSet include;
    private final GlobSet exclude;

    /** Roots must be absolute; a root inside another root is dropped, the outer one covers it. */
    Scope(List<Path> roots, GlobSet include, GlobSet exclude) {
        List<Path> sorted = new ArrayList<>(roots.stream().map(Path::normalize).distinct().toList());
        sorted.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> outer = new ArrayList<>();
        for (Path root : sorted) {
            if (outer.stream().noneMatch(root::startsWith)) {
                outer.add(root);
            }
        }
        this.roots = List.copyOf(outer);
        this.include = include;
        this.exclude = exclude;
    }

    List<Path> roots() {
        return roots;
    }

    /** The root {@code path} lies in, or {@code null}. */
    Path rootOf(Path path) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return root;
            }
        }
        return null;
    }

    /**
     * Whether {@code path} is under a root and neither it nor a directory between it and the
     * root is excluded. For a directory this also says whether to descend into it.
     */
    boolean covers(Path path) {
        Path root = rootOf(path);
        if (root == null) {
            return false;
        }
        for (Path p = path; p != null && p.startsWith(root); p = p.getParent()) {
            if (exclude.matches(p)) {
                return false;
            }
            if (p.equals(root)) {
                break;
            }
        }
        return true;
    }

    /** Whether {@code path} gets a baseline record: covered, and included (or a root). */
    boolean records(Path path) {
        return covers(path) && (include.isEmpty() || include.matches(path) || roots.contains(path));
    }
}

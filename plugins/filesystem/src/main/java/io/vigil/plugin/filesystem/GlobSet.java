package io.vigil.plugin.filesystem;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Globs as operators write them in include, exclude, no_hash and severity rules: a glob that
 * contains a {@code /} is matched against the absolute path ({@code /etc/**}{@code /*.conf}), one
 * without is matched against the file name alone ({@code *.swp}), which is what people mean
 * when they write it. {@code *} stays within one path segment, {@code **} crosses segments.
 */
final class GlobSet {

    private static final GlobSet EMPTY = new GlobSet(List.of(), List.of());

    private final List<PathMatcher> onPath;
    private final List<PathMatcher> onName;

    private GlobSet(List<PathMatcher> onPath, List<PathMatcher> onName) {
        this.onPath = onPath;
        this.onName = onName;
    }

    static GlobSet empty() {
        return EMPTY;
    }

    /**
     * Compiles the globs.
     *
     * @throws IllegalArgumentException naming the first glob that does not compile
     */
    static GlobSet of(List<String> globs) {
        List<PathMatcher> onPath = new ArrayList<>();
        List<PathMatcher> onName = new ArrayList<>();
        for (String glob : globs) {
            (glob.contains("/") ? onPath : onName).add(compile(glob));
        }
        return new GlobSet(List.copyOf(onPath), List.copyOf(onName));
    }

    static PathMatcher compile(String glob) {
        if (glob.isBlank()) {
            throw new IllegalArgumentException("an empty glob matches nothing; remove it");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("glob \"" + glob + "\" is not valid: " + e.getDescription(), e);
        }
    }

    boolean isEmpty() {
        return onPath.isEmpty() && onName.isEmpty();
    }

    /** Whether any glob matches {@code absolute} (a glob without / matches its file name). */
    boolean matches(Path absolute) {
        for (PathMatcher m : onPath) {
            if (m.matches(absolute)) {
                return true;
            }
        }
        if (!onName.isEmpty()) {
            Path name = absolute.getFileName();
            if (name != null) {
                for (PathMatcher m : onName) {
                    if (m.matches(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

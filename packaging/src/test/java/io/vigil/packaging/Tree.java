package io.vigil.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory tree as "path → type and mode" lines, the way `ls -l` shows them, for exact assertions. */
final class Tree {

    private Tree() {
    }

    /**
     * Every entry under {@code root}, keyed by its path as on the target system ("/opt/vigil"), valued
     * "d rwxr-xr-x", "f rw-r-----" or "l -> target".
     */
    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String key = "/" + root.relativize(p);
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "l -> " + Files.readSymbolicLink(p));
                } else {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    out.put(key, (Files.isDirectory(p) ? "d " : "f ") + mode);
                }
            }
        }
        return out;
    }

    /** Each entry with its size and modification time, to show that a run wrote nothing. */
    static Map<String, String> withTimes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (var e : of(root).entrySet()) {
            Path p = root.resolve(e.getKey().substring(1));
            out.put(e.getKey(), e.getValue() + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis()
                    + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? " " + Files.size(p) : ""));
        }
        return out;
    }
}

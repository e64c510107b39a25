package io.vigil.plugin.filesystem;

import io.vigil.api.Event;
import io.vigil.testkit.TestMonitorContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** File-tree helpers shared by the monitor tests. */
final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code content} to {@code file} with mode 0644, whatever the umask. */
    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A context for the integrity monitor watching {@code dir}, with a short debounce for fast tests. */
    static TestMonitorContext context(Path dir, Map<String, ?> more) {
        Map<String, Object> options = new HashMap<>();
        options.put("paths", List.of(dir.toString()));
        options.put("debounce", "100ms");
        options.putAll(more);
        return TestMonitorContext.forFactory(new FilesystemMonitorFactory(), options);
    }

    /** "type relative/path" for each event about a path, to compare whole lists readably. */
    static List<String> describe(List<Event> events, Path dir) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            Object path = e.attributes().get("path");
            out.add(e.type() + (path == null ? "" : " " + dir.relativize(Path.of((String) path))));
        }
        return out;
    }

    /** The stored baseline records below {@code dir}. */
    static Map<String, String> stored(TestMonitorContext ctx, Path dir) {
        return ctx.state().entries(Baseline.FILE_PREFIX + dir + "/");
    }
}

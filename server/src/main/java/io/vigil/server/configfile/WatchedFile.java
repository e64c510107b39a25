package io.vigil.server.configfile;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;

/**
 * A configuration file read again when it changes. Polling the modification time and size (plus a
 * content comparison) works on every file system, for editors that replace the file and for
 * Kubernetes ConfigMap symlink swaps, where a WatchService misses changes.
 */
public final class WatchedFile {

    private final Path path;
    private @Nullable FileTime mtime;
    private long size = -1;
    private byte @Nullable [] content;

    public WatchedFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The file name as problems show it. */
    public String displayName() {
        return path.toString();
    }

    /**
     * Reads the file if it changed since the last call that returned it.
     *
     * @return the new content, or {@code null} when unchanged
     * @throws NoSuchFileException when the file is missing
     * @throws IOException         when it cannot be read
     */
    public synchronized @Nullable String readIfChanged() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (content != null && attributes.lastModifiedTime().equals(mtime) && attributes.size() == size) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(path);
        mtime = attributes.lastModifiedTime();
        size = attributes.size();
        if (content != null && Arrays.equals(bytes, content)) {
            return null; // touched, not changed
        }
        content = bytes;
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

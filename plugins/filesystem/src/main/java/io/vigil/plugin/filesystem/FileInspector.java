package io.vigil.plugin.filesystem;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads one path's current {@link FileRecord}: one {@code lstat} for the attributes, and the
 * content hash when the path is a regular file that is neither too large nor excluded from
 * hashing. Symlinks are never followed. Used by the monitor thread only.
 */
final class FileInspector {

    // One lstat for everything; "unix" is the JDK's view of struct stat on Linux and the BSDs.
    private static final String ATTRIBUTES = "unix:mode,ino,dev,size,lastModifiedTime,ctime,uid,gid";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final GlobSet noHash;
    private final long maxHashBytes;
    private final ContentHasher hasher;
    // The JDK resolves a uid to a name with getpwuid on every call, which reads /etc/passwd
    // each time; a host has few owners, so remember them.
    private final Map<Integer, String> users = new HashMap<>();
    private final Map<Integer, String> groups = new HashMap<>();

    FileInspector(GlobSet noHash, long maxHashBytes, ContentHasher hasher) {
        this.noHash = noHash;
        this.maxHashBytes = maxHashBytes;
        this.hasher = hasher;
    }

    /**
     * The path's record, or empty when it does not exist (any more). {@code previous} is the
     * baseline's record: when the inode is untouched its hash is reused instead of reading the
     * file again. Never throws for a problem with the path: an unreadable path comes back as a
     * record with {@link FileRecord#unreadable()} set.
     */
    Optional<FileRecord> inspect(Path path, FileRecord previous) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, ATTRIBUTES, NOFOLLOW);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (isVanished(e)) {
                return Optional.empty();
            }
            return Optional.of(FileRecord.unknown(reason(e)));
        }
        int mode = (Integer) a.get("mode");
        FileKind kind = FileKind.ofMode(mode);
        String linkTarget = null;
        if (kind == FileKind.SYMLINK) {
            try {
                linkTarget = Files.readSymbolicLink(path).toString();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(FileRecord.unknown(reason(e)));
            }
        }
        FileRecord record = new FileRecord(kind, (Long) a.get("size"), nanos(a.get("lastModifiedTime")),
                nanos(a.get("ctime")), mode & 07777, user(path, (Integer) a.get("uid")),
                group(path, (Integer) a.get("gid")), null, (Long) a.get("ino"), (Long) a.get("dev"),
                linkTarget, null);
        if (kind != FileKind.FILE || !shouldHash(path, record.size())) {
            return Optional.of(record);
        }
        if (previous != null && previous.sha256() != null && previous.sameStat(record)) {
            return Optional.of(record.withHash(previous.sha256()));
        }
        try {
            return Optional.of(record.withHash(hasher.sha256(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // A stop interrupted the read: not the file's fault, and the next start reads it again.
                return Optional.of(record);
            }
            return Optional.of(record.withUnreadable(reason(e)));
        }
    }

    /** Whether the content of a regular file at {@code path} of {@code size} bytes is hashed. */
    private boolean shouldHash(Path path, long size) {
        return size <= maxHashBytes && !noHash.matches(path);
    }

    /** The operator-facing reason, as {@code ls} would print it. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // ENOTDIR on a parent (a directory replaced by a file) means the path is gone, not unreadable.
    private static boolean isVanished(IOException e) {
        return e instanceof FileSystemException fse && "Not a directory".equals(fse.getReason());
    }

    private static long nanos(Object time) {
        FileTime t = (FileTime) time;
        var instant = t.toInstant();
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private String user(Path path, int uid) {
        return users.computeIfAbsent(uid, id -> {
            try {
                return ((UserPrincipal) Files.getAttribute(path, "unix:owner", NOFOLLOW)).getName();
            } catch (IOException | RuntimeException e) {
                return Integer.toString(id);
            }
        });
    }

    private String group(Path path, int gid) {
        return groups.computeIfAbsent(gid, id -> {
            try {
                return ((GroupPrincipal) Files.getAttribute(path, "unix:group", NOFOLLOW)).getName();
            } catch (IOException | RuntimeException e) {
                return Integer.toString(id);
            }
        });
    }
}

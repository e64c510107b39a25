package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The directory everything lives in: extracted binaries, the data directory, the socket directory
 * and the server log. While open it holds an exclusive lock on {@code .lock}, so exactly one
 * EmbeddedPostgres (in any JVM) owns the cluster. That is what makes it safe to stop a postmaster
 * found running on our data directory: whoever started it no longer holds the lock, so it was
 * orphaned by a JVM that died without closing it.
 */
final class BaseDirectory implements AutoCloseable {

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private BaseDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Under java.io.tmpdir rather than the user's home: when the JVM runs as root the server runs as
     * an unprivileged user who cannot enter /root (mode 0700 on Debian). The caller's uid is in the
     * name so different users on one machine do not collide in the shared /tmp.
     */
    static Path defaultLocation() throws IOException {
        return Path.of(System.getProperty("java.io.tmpdir"), "vigil-embedded-postgres-" + ProcessUser.effectiveUid())
                .toAbsolutePath();
    }

    /**
     * Creates (if needed), checks and locks {@code dir}.
     *
     * @param mustBeOwnedByUs set for directories in a world-writable place such as /tmp, where
     *     another user could have planted the directory (or a symlink) in advance
     */
    static BaseDirectory open(Path dir, ProcessUser user, boolean mustBeOwnedByUs) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        // Checked before creating anything, so a refused location is left as it was.
        user.requireSearchable(abs);
        createSearchable(abs);
        if (!Files.isDirectory(abs)) {
            throw new IOException("base directory " + abs + " is not a directory: pass a directory path");
        }
        int euid = ProcessUser.effectiveUid();
        if (mustBeOwnedByUs && (Files.isSymbolicLink(abs) || ProcessUser.ownerOf(abs) != euid)) {
            throw new IOException("base directory " + abs + " is a symbolic link or owned by uid "
                    + ProcessUser.ownerOf(abs) + ", not by us (uid " + euid
                    + "); someone else may control it: remove it or pass a base directory explicitly");
        }
        user.requireSearchable(abs);
        createSearchable(abs.resolve("binaries"));
        createSearchable(abs.resolve("log"));
        FileChannel channel = FileChannel.open(abs.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("base directory " + abs + " is in use by another embedded PostgreSQL (its .lock is"
                    + " held): close that instance or stop its process, or pass a different base directory");
        }
        return new BaseDirectory(abs, channel, lock);
    }

    Path path() {
        return dir;
    }

    Path binaries() {
        return dir.resolve("binaries");
    }

    Path data() {
        return dir.resolve("data");
    }

    Path sockets() {
        return dir.resolve("run");
    }

    Path log() {
        return dir.resolve("log");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // The channel close below releases it as well.
        }
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the OS drops the lock when the process ends anyway.
        }
    }

    /**
     * Creates missing directories with mode 0755 regardless of the umask, so a restrictive umask
     * (077) does not lock the unprivileged server user out of directories we made ourselves.
     */
    private static void createSearchable(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
                Files.setAttribute(p, "unix:mode", 0755);
            } catch (FileAlreadyExistsException concurrentlyCreated) {
                // Another starter made it first; its mode is checked by requireSearchable.
            }
        }
    }
}

package io.vigil.plugin.filesystem;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Holds one OS watch (inotify on Linux) per directory in scope and turns what the OS reports into
 * calls on a {@link Sink}. It does not interpret events beyond their kind: the debouncer and the
 * baseline decide what really changed.
 *
 * <p>A directory that cannot be watched because a limit was reached (the kernel's
 * {@code fs.inotify.max_user_watches}, reported by the JDK as "User limit of inotify watches
 * reached", or the monitor's own {@code max_watched_directories}) is left to the periodic
 * rescan, and the first such refusal is handed out once through {@link #takeLimitHit()}.
 * Used by the monitor thread only, except {@link #close()}.
 */
final class Watcher implements Closeable {

    /** Receives what the watch service reported. */
    interface Sink {
        /** A path's content or attributes changed. */
        void changed(Path path);

        /** A path appeared (created, or moved in). */
        void created(Path path);

        /** A path disappeared (deleted, or moved out); it may have been a directory. */
        void removed(Path path);

        /** The OS dropped events for {@code dir}: what happened there is unknown. */
        void overflowed(Path dir);
    }

    /** The first refusal to watch a directory because of a limit. */
    record LimitHit(Path directory, String reason, int watched) {
    }

    private final WatchService service;
    private final long maxDirectories;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Set<Path> unwatched = new HashSet<>();
    private LimitHit pendingLimit;
    private boolean limitReported;

    Watcher(WatchService service, long maxDirectories) {
        this.service = service;
        this.maxDirectories = maxDirectories;
    }

    /**
     * A watcher on the default file system.
     *
     * @throws IOException when the OS refuses (on Linux: fs.inotify.max_user_instances reached)
     */
    static Watcher open(long maxDirectories) throws IOException {
        return new Watcher(FileSystems.getDefault().newWatchService(), maxDirectories);
    }

    /**
     * Watches {@code dir} (not its subdirectories). Registering a watched directory again is
     * harmless, and needed: a directory deleted and re-created under the same name is a new
     * inode that needs a new watch.
     *
     * @return whether it is watched now
     */
    boolean register(Path dir) {
        if (maxDirectories > 0 && watched.size() >= maxDirectories && !watched.containsKey(dir)) {
            refuse(dir, "max_watched_directories is " + maxDirectories);
            return false;
        }
        try {
            WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            watched.put(dir, key);
            unwatched.remove(dir);
            return true;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            if (isWatchLimit(e)) {
                refuse(dir, e.getMessage());
            } else {
                unwatched.add(dir);
            }
            return false;
        }
    }

    static boolean isWatchLimit(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("inotify watches") || m.contains("No space left on device");
    }

    private void refuse(Path dir, String reason) {
        unwatched.add(dir);
        if (!limitReported) {
            limitReported = true;
            pendingLimit = new LimitHit(dir, reason, watched.size());
        }
    }

    /** The first limit refusal not yet reported, once; then {@code null} until {@link #endRescan()} clears it. */
    LimitHit takeLimitHit() {
        LimitHit hit = pendingLimit;
        pendingLimit = null;
        return hit;
    }

    /** A full rescan starts: it will re-register every directory, so forget which were refused. */
    void beginRescan() {
        unwatched.clear();
    }

    /** A full rescan ended: if every directory is watched again, a later limit is news again. */
    void endRescan() {
        if (unwatched.isEmpty()) {
            limitReported = false;
        }
    }

    int watchedCount() {
        return watched.size();
    }

    int unwatchedCount() {
        return unwatched.size();
    }

    /**
     * Waits up to {@code nanos} for a signalled key.
     *
     * @throws ClosedWatchServiceException once {@link #close()} was called
     */
    WatchKey poll(long nanos) throws InterruptedException {
        return service.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** A signalled key if there is one, without waiting. */
    WatchKey pollNow() {
        return service.poll();
    }

    /** Hands one signalled key's events to {@code sink} and re-arms the key. */
    void drain(WatchKey key, Sink sink) {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                sink.overflowed(dir);
                continue;
            }
            Path path = dir.resolve((Path) event.context());
            if (event.kind() == ENTRY_CREATE) {
                sink.created(path);
            } else if (event.kind() == ENTRY_DELETE) {
                sink.removed(path);
            } else {
                sink.changed(path);
            }
        }
        if (!key.reset()) {
            // The directory is gone (or unmounted): its watch went with it.
            watched.remove(dir, key);
            sink.removed(dir);
        }
    }

    /** Releases every watch; a thread blocked in {@link #poll} gets a ClosedWatchServiceException. */
    @Override
    public void close() throws IOException {
        service.close();
    }
}

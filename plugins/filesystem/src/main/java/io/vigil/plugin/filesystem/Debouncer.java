package io.vigil.plugin.filesystem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Collects changed paths until the burst is over, so each path's net change is evaluated once:
 * a batch is due when nothing new has arrived for the quiet period, or when its oldest change
 * has waited {@code maxDelay} (a file written continuously would otherwise never be evaluated).
 *
 * <p>Time comes from a monotonic nanosecond source, not the wall clock, so a clock step neither
 * stalls nor floods the monitor; tests pass their own. Used by the monitor thread only.
 */
final class Debouncer {

    private final long quietNanos;
    private final long maxDelayNanos;
    private final LongSupplier nanoTime;
    private Set<Path> paths = new LinkedHashSet<>();
    private Set<Path> subtrees = new LinkedHashSet<>();
    private long first;
    private long last;

    Debouncer(Duration quiet, Duration maxDelay, LongSupplier nanoTime) {
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = Math.max(maxDelay.toNanos(), quietNanos);
        this.nanoTime = nanoTime;
    }

    /** Something happened to {@code path}. */
    void path(Path path) {
        touch();
        paths.add(path);
    }

    /** Everything under {@code dir} must be compared (it appeared, vanished or overflowed). */
    void subtree(Path dir) {
        touch();
        subtrees.add(dir);
    }

    private void touch() {
        long now = nanoTime.getAsLong();
        if (isEmpty()) {
            first = now;
        }
        last = now;
    }

    boolean isEmpty() {
        return paths.isEmpty() && subtrees.isEmpty();
    }

    /** Nanoseconds until the pending batch is due: 0 when due, {@link Long#MAX_VALUE} when empty. */
    long nanosUntilDue() {
        if (isEmpty()) {
            return Long.MAX_VALUE;
        }
        long now = nanoTime.getAsLong();
        long due = Math.min(last + quietNanos, first + maxDelayNanos);
        return Math.max(0, due - now);
    }

    boolean isDue() {
        return nanosUntilDue() == 0;
    }

    /** The pending batch, leaving the debouncer empty. */
    Batch take() {
        Batch batch = new Batch(paths, subtrees);
        paths = new LinkedHashSet<>();
        subtrees = new LinkedHashSet<>();
        return batch;
    }
}

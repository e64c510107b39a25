package io.vigil.plugin.filesystem;

import io.vigil.api.MonitorContext;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One run of the monitor, on the run thread: the start-up comparison with the stored baseline,
 * then a loop that feeds the watcher's reports through the debouncer into the reconciler, and
 * rescans every root periodically. Everything here runs on that one thread, so nothing needs a
 * lock; only stopping comes from outside.
 */
final class WatchSession implements Watcher.Sink {

    // Bounds the time spent draining a flood of keys before due batches get their turn.
    private static final int MAX_KEYS_PER_TURN = 1_000;

    private final MonitorContext ctx;
    private final FilesystemSettings settings;
    private final LongSupplier nanoTime;
    private final Watcher watcher;
    private final String watcherProblem;
    private final CountDownLatch stop;
    private final BooleanSupplier stopped;
    private final Logger log;
    private final Baseline baseline;
    private final Reconciler reconciler;
    private final Debouncer debouncer;
    private final ChangeEvents events;
    private final FilesystemMetrics metrics = new FilesystemMetrics();
    private final BatchReporter reporter;
    private final Set<Path> overflowed = new LinkedHashSet<>();
    // Without a watch service every directory is left to the rescan; counted for the metric.
    private int directoriesSeen;

    /**
     * @param watcher the OS watch, or {@code null} when none could be opened ({@code watcherProblem}
     *                says why); the session then relies on rescans
     * @param stop    counted down by close(), for waiting without a watch service
     * @param stopped whether to stop, polled between paths so a large scan ends soon after close()
     */
    WatchSession(MonitorContext ctx, FilesystemSettings settings, LongSupplier nanoTime, Watcher watcher,
                 String watcherProblem, CountDownLatch stop, BooleanSupplier stopped) {
        this.ctx = ctx;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.watcher = watcher;
        this.watcherProblem = watcherProblem;
        this.stop = stop;
        this.stopped = stopped;
        this.log = ctx.logger();
        this.baseline = new Baseline(ctx.state(), log);
        FileInspector inspector = new FileInspector(settings.noHash(), settings.maxHashBytes(), new ContentHasher());
        this.reconciler = new Reconciler(settings.scope(), new Scanner(settings.scope(), stopped), inspector,
                baseline, stopped);
        this.debouncer = new Debouncer(settings.debounce(), settings.maxDelay(), nanoTime);
        this.events = new ChangeEvents(ctx.clock());
        this.reporter = new BatchReporter(ctx.emitter(), events, settings.severities(),
                settings.maxEventsPerBatch(), metrics);
    }

    /** Runs until stopped; a closed watch service ends it with ClosedWatchServiceException. */
    void run() throws InterruptedException {
        start();
        long rescanEvery = settings.rescanInterval().toNanos();
        long metricsEvery = settings.metricsInterval().toNanos();
        long nextRescan = nanoTime.getAsLong() + rescanEvery;
        long nextMetrics = nanoTime.getAsLong() + metricsEvery;
        while (!stopped.getAsBoolean()) {
            long now = nanoTime.getAsLong();
            long wait = Math.min(debouncer.nanosUntilDue(), Math.min(nextRescan - now, nextMetrics - now));
            if (wait > 0) {
                awaitEvents(wait);
            }
            if (stopped.getAsBoolean()) {
                return;
            }
            if (debouncer.isDue()) {
                process(debouncer.take());
            }
            now = nanoTime.getAsLong();
            if (now - nextRescan >= 0) {
                fullScan(List.of());
                nextRescan = nanoTime.getAsLong() + rescanEvery;
                nextMetrics = nanoTime.getAsLong() + metricsEvery; // the scan just emitted them
            } else if (now - nextMetrics >= 0) {
                emitMetrics();
                nextMetrics = now + metricsEvery;
            }
        }
    }

    /**
     * Compares the disk with the stored baseline once: changes made while the agent was stopped
     * are reported now, and roots never baselined before are recorded silently with one
     * {@code file.baseline} event.
     */
    private void start() {
        baseline.load();
        if (watcherProblem != null) {
            log.warn("no watch service ({}); relying on the rescan every {}", watcherProblem,
                    FilesystemSettings.format(settings.rescanInterval()));
            reporter.emit(events.watchLimit(null, watcherProblem, 0, settings.rescanInterval()));
        }
        Set<Path> known = baseline.baselinedRoots();
        List<Path> fresh = settings.scope().roots().stream().filter(r -> !known.contains(r)).toList();
        // Paths recorded under an older configuration (a root removed, a new exclude) are
        // forgotten silently: they were not deleted, the operator stopped asking about them.
        List<Path> outOfScope = baseline.paths().stream().filter(p -> !settings.scope().records(p)).toList();
        if (!outOfScope.isEmpty()) {
            baseline.apply(Map.of(), outOfScope);
        }
        log.info("watching {} (baseline of {} paths, {} new roots)", settings.scope().roots(), baseline.size(), fresh.size());
        fullScan(fresh);
    }

    /** Compares every root with the baseline: at start, and every rescan_interval. */
    private void fullScan(List<Path> fresh) {
        long t0 = nanoTime.getAsLong();
        if (watcher != null) {
            watcher.beginRescan();
        }
        directoriesSeen = 0;
        watchRootParents();
        Reconciler.Outcome outcome = reconciler.reconcile(
                new Batch(Set.of(), new LinkedHashSet<>(settings.scope().roots())), this::watch);
        if (stopped.getAsBoolean()) {
            return;
        }
        List<Change> report = new ArrayList<>();
        for (Change c : outcome.changes()) {
            // Under a new root everything is "created"; only what cannot be read is news.
            if (c.type() == ChangeType.UNREADABLE || fresh.stream().noneMatch(c.path()::startsWith)) {
                report.add(c);
            }
        }
        reportLimit();
        reporter.report(report);
        baseline.apply(outcome.puts(), outcome.removes());
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - t0);
        if (!fresh.isEmpty()) {
            List<FileRecord> records = fresh.stream().flatMap(r -> baseline.recordsAt(r).stream()).toList();
            List<Path> missing = fresh.stream().filter(r -> !Files.exists(r, LinkOption.NOFOLLOW_LINKS)).toList();
            missing.forEach(r -> log.warn("{} does not exist; it will be watched once it appears", r));
            reporter.emit(events.baseline(fresh, records, missing, took));
        }
        baseline.setRoots(fresh, settings.scope().roots(), ctx.clock().instant());
        if (watcher != null) {
            watcher.endRescan();
        }
        metrics.rescanned(took);
        emitMetrics();
    }

    /** Evaluates one debounced batch. */
    private void process(Batch batch) {
        Reconciler.Outcome outcome = reconciler.reconcile(batch, this::watch);
        if (stopped.getAsBoolean()) {
            return;
        }
        if (!overflowed.isEmpty()) {
            reporter.emit(events.overflow(overflowed));
            overflowed.clear();
        }
        reportLimit();
        reporter.report(outcome.changes());
        baseline.apply(outcome.puts(), outcome.removes());
    }

    private void awaitEvents(long nanos) throws InterruptedException {
        if (watcher == null) {
            stop.await(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        WatchKey key = watcher.poll(nanos);
        for (int n = 0; key != null; key = watcher.pollNow()) {
            watcher.drain(key, this);
            if (++n >= MAX_KEYS_PER_TURN) {
                break;
            }
        }
    }

    /**
     * A root that is a file, or does not exist yet, is watched through its parent directory, so
     * its creation, replacement and deletion are seen; the parent's other entries are out of
     * scope and ignored.
     */
    private void watchRootParents() {
        for (Path root : settings.scope().roots()) {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) && root.getParent() != null
                    && Files.isDirectory(root.getParent())) {
                watch(root.getParent());
            }
        }
    }

    private void watch(Path dir) {
        directoriesSeen++;
        if (watcher != null) {
            watcher.register(dir);
        }
    }

    private void reportLimit() {
        Watcher.LimitHit hit = watcher == null ? null : watcher.takeLimitHit();
        if (hit != null) {
            log.warn("cannot watch {}: {}; relying on the rescan every {} for what is not watched",
                    hit.directory(), hit.reason(), FilesystemSettings.format(settings.rescanInterval()));
            reporter.emit(events.watchLimit(hit.directory(), hit.reason(), hit.watched(), settings.rescanInterval()));
        }
    }

    private void emitMetrics() {
        metrics.emit(ctx.emitter(), ctx.clock().instant(), new FilesystemMetrics.Gauges(baseline.size(),
                watcher == null ? 0 : watcher.watchedCount(),
                watcher == null ? directoriesSeen : watcher.unwatchedCount(),
                baseline.unreadableCount()));
    }

    @Override
    public void changed(Path path) {
        debouncer.path(path);
    }

    @Override
    public void created(Path path) {
        if (settings.scope().covers(path) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            // Watch it now rather than at evaluation, so what is written into it meanwhile is
            // reported as it happens; the evaluation walks it for what came before the watch.
            watch(path);
            debouncer.subtree(path);
        } else {
            debouncer.path(path);
        }
    }

    @Override
    public void removed(Path path) {
        debouncer.subtree(path);
    }

    @Override
    public void overflowed(Path dir) {
        overflowed.add(dir);
        metrics.overflowed();
        debouncer.subtree(dir);
    }
}

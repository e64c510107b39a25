package io.vigil.plugin.filesystem;

import io.vigil.api.MonitorContext;
import io.vigil.api.StreamingMonitor;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * The {@code integrity} monitor's life cycle: {@link #run()} opens the OS watch service and runs
 * a {@link WatchSession} until {@link #close()}. A watch service that cannot be opened is not
 * fatal: the session reports it and relies on the periodic rescan.
 */
final class FilesystemMonitor implements StreamingMonitor {

    private final MonitorContext ctx;
    private final FilesystemSettings settings;
    private final LongSupplier nanoTime;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean closed;
    private Watcher watcher;

    FilesystemMonitor(MonitorContext ctx, FilesystemSettings settings, LongSupplier nanoTime) {
        this.ctx = ctx;
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    @Override
    public void run() throws Exception {
        Watcher w = null;
        String problem = null;
        try {
            w = Watcher.open(settings.maxWatchedDirectories());
        } catch (IOException e) {
            problem = e.getMessage();
        }
        synchronized (this) {
            if (closed) {
                closeQuietly(w);
                return;
            }
            watcher = w;
        }
        try {
            new WatchSession(ctx, settings, nanoTime, w, problem, stop, this::isStopped).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the agent's way of saying stop, as close() is
        } catch (IllegalStateException e) {
            // After close() the watch service is closed (ClosedWatchServiceException) and the
            // emitter may refuse: both are the stop, not a failure.
            if (!closed) {
                throw e;
            }
        } finally {
            closeQuietly(w);
        }
    }

    private boolean isStopped() {
        return closed || Thread.currentThread().isInterrupted();
    }

    @Override
    public void close() {
        Watcher w;
        synchronized (this) {
            closed = true;
            w = watcher;
        }
        stop.countDown();
        closeQuietly(w);
    }

    private void closeQuietly(Watcher w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                ctx.logger().debug("closing the watch service failed", e);
            }
        }
    }
}

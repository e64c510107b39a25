package io.vigil.server.errorlog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.vigil.errorgroup.ErrorText;
import io.vigil.server.event.ServerEvents;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records the server's own WARN and ERROR log lines in the error log, as source
 * {@code server:<host>} and component = the logger's name. A Logback appender is attached to the
 * root logger when the server starts (and detached when it stops), so logback.xml needs no change.
 *
 * <ul>
 *   <li>Never blocks the logging thread: the appender only offers the line to a bounded queue
 *       ({@code vigil.errors.capture.queue-size}); when the queue is full the line is dropped and
 *       counted ({@code vigil_errors_dropped_total{reason="queue_full"}}). It is an
 *       {@link UnsynchronizedAppenderBase}, so logging threads do not queue behind each other on it
 *       either.</li>
 *   <li>Never recurses: lines of this package, and every line logged on the flusher thread (by the
 *       database driver, the pool, rule evaluation of a reopened event…), are ignored; a failed
 *       write drops its lines, counted ({@code reason="write_failed"}), and is logged here (ignored).</li>
 *   <li>A background thread drains the queue every {@code vigil.errors.capture.flush-interval},
 *       aggregates the lines by fingerprint and hour, and records them with one {@link ErrorLog#record}.</li>
 *   <li>Records the formatted message the code logged, nothing more: the server never logs secrets,
 *       so the error log holds none either.</li>
 * </ul>
 */
@Context
@Requires(property = "vigil.errors.capture.enabled", notEquals = "false")
public class ServerLogCapture {

    private static final Logger LOG = LoggerFactory.getLogger(ServerLogCapture.class);
    private static final String OWN_PACKAGE = ServerLogCapture.class.getPackageName();
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final ErrorLog log;
    private final ErrorLogMetrics metrics;
    private final String source;
    private final BlockingQueue<Line> queue;
    private final ScheduledExecutorService flusher;
    private final CaptureAppender appender = new CaptureAppender();
    private final ch.qos.logback.classic.Logger root;
    private volatile Thread flusherThread;
    private long lastWarn;

    ServerLogCapture(ErrorLog log, ErrorLogMetrics metrics, ErrorLogSettings.Capture settings, ServerEvents events) {
        this.log = log;
        this.metrics = metrics;
        this.source = "server:" + events.host();
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.getQueueSize()));
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-errorlog-flusher");
            t.setDaemon(true);
            flusherThread = t;
            return t;
        });
        long every = Math.max(10, settings.getFlushInterval().toMillis());
        flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(context);
        appender.setName("vigil-errorlog-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    /** One captured log line; its stack text and fingerprint are made on the flusher thread. */
    private record Line(String logger, Level level, String message, @Nullable Throwable error,
                        @Nullable String errorType, @Nullable String errorStack, Instant time) {
    }

    private final class CaptureAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent e) {
            if (!e.getLevel().isGreaterOrEqual(Level.WARN) || e.getLoggerName().startsWith(OWN_PACKAGE)
                    || Thread.currentThread() == flusherThread) {
                return;
            }
            IThrowableProxy proxy = e.getThrowableProxy();
            Throwable error = proxy instanceof ThrowableProxy tp ? tp.getThrowable() : null;
            // a proxy without the Throwable (deserialised events) still has its class name and frames
            String type = proxy == null ? null : proxy.getClassName();
            String stack = proxy != null && error == null
                    ? ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(proxy) : null;
            Line line = new Line(e.getLoggerName(), e.getLevel(), e.getFormattedMessage(), error, type, stack,
                    Instant.ofEpochMilli(e.getTimeStamp()));
            if (!queue.offer(line)) {
                metrics.droppedQueueFull(1);
            }
        }
    }

    /** Writes every waiting line now; on the flusher thread, or by a specification. */
    void flush() {
        List<Line> lines = new ArrayList<>();
        queue.drainTo(lines);
        if (lines.isEmpty()) {
            return;
        }
        try {
            log.record(aggregate(lines), "server");
        } catch (Exception e) { // whatever failed, the lines are dropped and counted, never retried into a loop
            metrics.droppedWriteFailed(lines.size());
            long now = System.currentTimeMillis();
            if (now - lastWarn >= WARN_EVERY_MILLIS) {
                lastWarn = now;
                // this package's lines are not captured: no loop
                LOG.warn("could not record {} server log lines in the error log (dropped, counted in "
                        + "vigil_errors_dropped_total): {}", lines.size(), e.getMessage());
            }
        }
    }

    /** One report per fingerprint and hour, with the count of its lines and the latest texts. */
    private List<ErrorReport> aggregate(List<Line> lines) {
        Map<String, ErrorReport> byKey = new LinkedHashMap<>();
        for (Line l : lines) {
            String stack = l.error() != null ? ErrorText.stackOf(l.error()) : l.errorStack();
            ErrorSeverity severity = l.level().isGreaterOrEqual(Level.ERROR) ? ErrorSeverity.ERROR : ErrorSeverity.WARN;
            String component = ErrorText.bound(l.logger(), ReportBatchReader.MAX_COMPONENT);
            ErrorReport r = ErrorReport.of(source, component, severity, l.message(), l.errorType(), stack, l.time(),
                    l.time(), 1);
            byKey.merge(r.fingerprint() + "@" + r.lastSeen().truncatedTo(ChronoUnit.HOURS), r, ServerLogCapture::merge);
        }
        return List.copyOf(byKey.values());
    }

    private static ErrorReport merge(ErrorReport a, ErrorReport b) {
        ErrorReport latest = b.lastSeen().isBefore(a.lastSeen()) ? a : b;
        ErrorSeverity severity = a.severity().compareTo(b.severity()) >= 0 ? a.severity() : b.severity();
        Instant first = a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen();
        return new ErrorReport(latest.source(), latest.fingerprint(), latest.component(), severity, latest.message(),
                latest.exceptionType(), latest.stack(), first, latest.lastSeen(), a.count() + b.count());
    }

    @PreDestroy
    void stop() {
        root.detachAppender(appender);
        appender.stop();
        flusher.shutdown();
        try {
            if (flusher.awaitTermination(5, TimeUnit.SECONDS)) {
                flush(); // what was logged while stopping, on this thread: nothing here is captured any more
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("final flush of the error log capture failed: {}", e.getMessage());
        }
    }
}

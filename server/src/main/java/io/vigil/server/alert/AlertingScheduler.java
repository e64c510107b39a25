package io.vigil.server.alert;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers of the alerting core (rule evaluation, file reloads, notification groups, escalation)
 * on threads of their own. Unlike the shared scheduler they are stopped, and interrupted, as soon
 * as the server begins to shut down: a timer waiting for a database that is already gone must not
 * hold up the shutdown. A task that throws is logged and runs again at its next time.
 */
@Singleton
public class AlertingScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(AlertingScheduler.class);

    private final ScheduledExecutorService executor;

    AlertingScheduler() {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-alerting-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} every {@code every} (between the end of one run and the start of the next). */
    public void every(String name, Duration initialDelay, Duration every, Runnable task) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", name, e.toString(), e);
            }
        }, initialDelay.toMillis(), Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}

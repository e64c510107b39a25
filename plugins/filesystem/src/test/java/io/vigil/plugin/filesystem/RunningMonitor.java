package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.StreamingMonitor;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A streaming monitor running on its own thread, as the agent runs it, with waits for what it
 * emits. Waiting is by polling what the test context captured; every wait is bounded.
 */
final class RunningMonitor implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final TestMonitorContext recorded;
    private final StreamingMonitor monitor;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final int eventsAtStart;
    private final int eventsAtReady;

    private RunningMonitor(MonitorContext runContext, TestMonitorContext recorded) throws Exception {
        this.recorded = recorded;
        this.eventsAtStart = recorded.events().size();
        int samplesBefore = samples(FilesystemMetrics.FILES_WATCHED).size();
        this.monitor = (StreamingMonitor) new FilesystemMonitorFactory().create(runContext);
        this.thread = new Thread(() -> {
            try {
                monitor.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "filesystem-monitor-under-test");
        thread.start();
        // The first samples are emitted when the start-up scan is done and every watch is in place.
        await(() -> samples(FilesystemMetrics.FILES_WATCHED).size() > samplesBefore, "the start-up scan");
        this.eventsAtReady = recorded.events().size();
    }

    /** Starts a monitor over {@code ctx}; returns once its start-up scan is done. */
    static RunningMonitor start(TestMonitorContext ctx) throws Exception {
        return new RunningMonitor(ctx, ctx);
    }

    /** Starts a monitor that emits through {@code runContext}, which records into {@code recorded}. */
    static RunningMonitor start(MonitorContext runContext, TestMonitorContext recorded) throws Exception {
        return new RunningMonitor(runContext, recorded);
    }

    /** Events emitted by the start-up scan: the baseline, or what changed while stopped. */
    List<Event> startupEvents() {
        return recorded.events().subList(eventsAtStart, eventsAtReady);
    }

    /** Events emitted since the start-up scan. */
    List<Event> events() {
        List<Event> all = recorded.events();
        return all.subList(eventsAtReady, all.size());
    }

    List<Event> events(String type) {
        return events().stream().filter(e -> e.type().equals(type)).toList();
    }

    Event awaitEvent(String type, Path path) {
        return awaitEvent(e -> e.type().equals(type) && path.toString().equals(e.attributes().get("path")),
                type + " for " + path);
    }

    Event awaitEvent(String type) {
        return awaitEvent(e -> e.type().equals(type), type);
    }

    Event awaitEvent(Predicate<Event> match, String what) {
        await(() -> events().stream().anyMatch(match), what);
        return events().stream().filter(match).findFirst().orElseThrow();
    }

    List<MetricSample> samples(String name) {
        return recorded.samples().stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The latest value of a metric series. */
    double lastValue(String name, Map<String, String> labels) {
        List<MetricSample> matching = samples(name).stream().filter(s -> s.labels().equals(labels)).toList();
        if (matching.isEmpty()) {
            fail("no sample of " + name + labels);
        }
        return matching.get(matching.size() - 1).value();
    }

    void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (failure.get() != null) {
                throw new AssertionError("the monitor failed while waiting for " + what, failure.get());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what + " after " + WAIT.toSeconds() + "s; events so far: "
                        + events().stream().map(e -> e.type() + " " + e.subject()).toList());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        monitor.close();
        thread.join(5_000);
        assertFalse(thread.isAlive(), "run() must return promptly after close()");
        if (failure.get() != null) {
            throw new AssertionError("run() failed", failure.get());
        }
    }
}

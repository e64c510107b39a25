package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.api.Event;
import io.vigil.testkit.TestMonitorContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** One monitor instance running on its own thread, as the agent runs a streaming monitor. */
final class MonitorRun implements AutoCloseable {

    final TestMonitorContext ctx;
    final DockerMonitor monitor;
    private final Thread thread;
    volatile Throwable failure;

    private MonitorRun(TestMonitorContext ctx) throws Exception {
        this.ctx = ctx;
        this.monitor = (DockerMonitor) new DockerMonitorFactory().create(ctx);
        this.thread = new Thread(() -> {
            try {
                monitor.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, "docker-monitor-under-test");
        thread.setDaemon(true);
    }

    /** A context following only the tests' containers, with {@code options} on top. */
    static TestMonitorContext context(Map<String, Object> options) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("include_labels", List.of(TestEngine.LABEL + "=" + TestEngine.LABEL_VALUE)));
        all.putAll(options);
        return TestMonitorContext.forFactory(new DockerMonitorFactory(), all);
    }

    /** Starts the monitor and waits until its event stream is open. */
    static MonitorRun start(TestMonitorContext ctx) throws Exception {
        MonitorRun run = new MonitorRun(ctx);
        run.thread.start();
        run.awaitStreaming();
        return run;
    }

    /** Starts the monitor without waiting for the stream (an engine that is not there). */
    static MonitorRun startOnly(TestMonitorContext ctx) throws Exception {
        MonitorRun run = new MonitorRun(ctx);
        run.thread.start();
        return run;
    }

    void awaitStreaming() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!monitor.streaming()) {
            if (failure != null) {
                fail("monitor failed: " + failure, failure);
            }
            if (System.nanoTime() > deadline) {
                fail("the monitor did not open the event stream within 20 s");
            }
            Thread.sleep(10);
        }
    }

    /** Events about one container, in order. */
    List<Event> of(String container) {
        return ctx.events().stream().filter(e -> container.equals(e.attributes().get("container"))).toList();
    }

    List<Event> ofType(String type) {
        return ctx.events().stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Waits for the first event matching {@code what}. */
    Event await(String description, Predicate<Event> what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : ctx.events()) {
                if (what.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no " + description + " within " + timeout + "; events: " + summary(ctx.events()));
            }
            Thread.sleep(10);
        }
    }

    Event await(String type, String container) throws InterruptedException {
        return await(type + " for " + container,
                e -> e.type().equals(type) && container.equals(e.attributes().get("container")), Duration.ofSeconds(20));
    }

    /** Lets pending outcomes settle, so that an assertion also sees what should not be there. */
    static void settle() throws InterruptedException {
        Thread.sleep(LifecycleTracker.SETTLE.toMillis() + 400);
    }

    /** {@code type:severity} of each event, the shape most assertions compare. */
    static List<String> summary(List<Event> events) {
        return events.stream().map(e -> e.type() + ":" + e.severity().wireName()).toList();
    }

    @Override
    public void close() throws Exception {
        monitor.close();
        thread.join(5000);
        assertFalse(thread.isAlive(), "run() did not return within 5 s of close()");
    }
}

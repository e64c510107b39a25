package io.vigil.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.agent.config.MonitorConfig;
import io.vigil.agent.errorlog.ErrorBook;
import io.vigil.agent.loader.MonitorPlan;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.state.SqliteStateStore;
import io.vigil.api.Event;
import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.PolledMonitor;
import io.vigil.api.StreamingMonitor;
import io.vigil.api.ValidatedOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.vigil.agent.errorlog.ErrorSink;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MonitorSchedulerTest {

    @TempDir
    Path dir;

    private Spool spool;
    private SqliteStateStore state;
    private MonitorScheduler scheduler;

    @BeforeEach
    void open() throws Exception {
        spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
        state = SqliteStateStore.open(dir.resolve("state.db"));
        scheduler = new MonitorScheduler(spool, state, new EnvironmentSecrets(Map.of()), Clock.systemUTC(),
                "host-a", "agent-a", "session-1");
    }

    @AfterEach
    void close() throws Exception {
        scheduler.close();
        spool.close();
        state.close();
    }

    /** A factory made of a lambda, standing in for a plugin's. */
    private static MonitorFactory factory(Function<MonitorContext, Monitor> create) {
        return new MonitorFactory() {
            public String kind() {
                return "test";
            }

            public String description() {
                return "test monitor";
            }

            public List<OptionSpec> options() {
                return List.of();
            }

            public Monitor create(MonitorContext context) {
                return create.apply(context);
            }
        };
    }

    private static MonitorPlan.Planned plan(String name, MonitorFactory factory, Duration interval, Duration timeout) {
        MonitorConfig config = new MonitorConfig(name, "testplugin", null, interval, timeout, true, Map.of(),
                "monitors[0]", Map.of());
        return new MonitorPlan.Planned(config, factory, ValidatedOptions.of(List.of(), Map.of(), r -> r),
                interval, timeout);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void polledMonitorEventsAreStampedWithTheirOriginAndOneTracePerRun() throws Exception {
        scheduler.start(plan("beat", factory(ctx -> (PolledMonitor) () -> {
            ctx.emitter().emit(Event.builder("test.one").subject("s").build());
            ctx.emitter().emit(Event.builder("test.two").subject("s").build());
        }), Duration.ofMillis(200), Duration.ofSeconds(5)));

        await(() -> spool.depth() >= 4);
        List<JsonNode> events = SpooledItems.events(spool);
        JsonNode first = events.get(0);
        assertEquals("host-a", first.get("host").asText());
        assertEquals("agent-a", first.get("agent").asText());
        assertEquals("beat", first.get("monitor").asText());
        assertEquals("testplugin", first.get("plugin").asText());
        assertEquals("session-1", first.get("session_id").asText());
        assertEquals(first.get("trace_id").asText(), events.get(1).get("trace_id").asText(), "same run, same trace");
        assertFalse(first.get("trace_id").asText().equals(events.get(2).get("trace_id").asText()), "next run, new trace");
    }

    @Test
    void aThrowingMonitorIsCountedReportedOnceAndTheOthersKeepRunning() throws Exception {
        AtomicInteger healthyRuns = new AtomicInteger();
        scheduler.start(plan("broken", factory(ctx -> (PolledMonitor) () -> {
            throw new IllegalStateException("target exploded");
        }), Duration.ofMillis(100), Duration.ofSeconds(5)));
        scheduler.start(plan("healthy", factory(ctx -> (PolledMonitor) healthyRuns::incrementAndGet),
                Duration.ofMillis(100), Duration.ofSeconds(5)));

        await(() -> scheduler.stats().get("broken").failures() >= 3 && healthyRuns.get() >= 3);
        List<JsonNode> events = SpooledItems.events(spool);
        assertEquals(List.of("agent.monitor.failed"), SpooledItems.types(events), "one event while it keeps failing");
        JsonNode failed = events.get(0);
        assertEquals("medium", failed.get("severity").asText());
        assertEquals("broken", failed.get("subject").asText());
        assertEquals("agent", failed.get("plugin").asText());
        assertEquals("java.lang.IllegalStateException", failed.get("attributes").get("error_type").asText());
        assertEquals("target exploded", failed.get("attributes").get("message").asText());
        assertEquals("IllegalStateException: target exploded", scheduler.stats().get("broken").lastError());
    }

    @Test
    void everyFailureOfAMonitorIsCountedInTheErrorBookAsOneError() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), Clock.systemUTC());
             MonitorScheduler recording = new MonitorScheduler(spool, state, new EnvironmentSecrets(Map.of()),
                     Clock.systemUTC(), "host-a", "agent-a", "session-1", book)) {
            AtomicInteger attempt = new AtomicInteger();
            // fails three times with three messages, then recovers
            recording.start(plan("broken", factory(ctx -> (PolledMonitor) () -> {
                int n = attempt.incrementAndGet();
                if (n <= 3) {
                    throw new IllegalStateException("target exploded at attempt " + n);
                }
            }), Duration.ofMillis(20), Duration.ofSeconds(5)));
            await(() -> attempt.get() >= 5);
            List<ErrorBook.Pending> pending = book.pending(10);
            assertEquals(1, pending.size(), "one error, whatever its message");
            assertEquals(3, pending.get(0).count());
            assertEquals("monitor:broken", pending.get(0).component());
            assertEquals("java.lang.IllegalStateException", pending.get(0).exceptionType());
        }
    }

    @Test
    void aHungPollIsInterruptedAtItsTimeoutCountedAndNeverOverlapped() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        scheduler.start(plan("hung", factory(ctx -> (PolledMonitor) () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                Thread.sleep(60_000);
            } finally {
                concurrent.decrementAndGet();
            }
        }), Duration.ofMillis(100), Duration.ofMillis(300)));

        await(() -> scheduler.stats().get("hung").timeouts() >= 2);
        MonitorStats stats = scheduler.stats().get("hung");
        assertEquals(1, maxConcurrent.get());
        assertTrue(stats.skipped() >= 2, "runs due while one hung are skipped, got " + stats.skipped());
        assertEquals(0, stats.failures(), "a timeout is counted as a timeout, not as a failure");
        assertEquals(List.of("agent.monitor.failed"), SpooledItems.types(SpooledItems.events(spool)));
    }

    @Test
    void aPollCancelledBeforeItsThreadStartedDoesNotStopTheMonitor() throws Exception {
        // the first poll thread starts only after the timeout, as on a machine too loaded to
        // schedule it in time: the watchdog cancels a run that never began
        AtomicBoolean firstThread = new AtomicBoolean(true);
        ExecutorService slowToStart = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(() -> {
                if (firstThread.getAndSet(false)) {
                    try {
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                task.run();
            }, "slow-poll");
            t.setDaemon(true);
            return t;
        });
        MonitorScheduler loaded = new MonitorScheduler(spool, state, new EnvironmentSecrets(Map.of()),
                Clock.systemUTC(), "h", "a", "s", ErrorSink.IGNORE, slowToStart);
        AtomicInteger polls = new AtomicInteger();
        try {
            loaded.start(plan("late", factory(ctx -> (PolledMonitor) polls::incrementAndGet),
                    Duration.ofMillis(100), Duration.ofMillis(100)));

            await(() -> polls.get() >= 3);
            assertEquals(1, loaded.stats().get("late").timeouts(), "the run that never began timed out once");
        } finally {
            loaded.close();
            slowToStart.shutdownNow();
        }
    }

    @Test
    void aMonitorThatRecoversSaysSoOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        scheduler.start(plan("flaky", factory(ctx -> (PolledMonitor) () -> {
            if (calls.incrementAndGet() <= 2) {
                throw new java.io.IOException("connection refused");
            }
        }), Duration.ofMillis(100), Duration.ofSeconds(5)));

        await(() -> scheduler.stats().get("flaky").runs() >= 3);
        assertEquals(List.of("agent.monitor.failed", "agent.monitor.recovered"),
                SpooledItems.types(SpooledItems.events(spool)));
    }

    @Test
    void aFactoryThatThrowsLeavesThatMonitorOutAndIsReported() throws Exception {
        boolean started = scheduler.start(plan("nope", factory(ctx -> {
            throw new IllegalArgumentException("bad option combination");
        }), Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertFalse(started);
        JsonNode event = SpooledItems.events(spool).get(0);
        assertEquals("agent.monitor.failed", event.get("type").asText());
        assertEquals("create", event.get("attributes").get("phase").asText());
    }

    @Test
    void aStreamingMonitorThatFailsIsRestartedAndCloseStopsIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        scheduler.start(plan("stream", factory(ctx -> new StreamingMonitor() {
            @Override
            public void run() throws Exception {
                if (runs.incrementAndGet() == 1) {
                    throw new java.io.IOException("stream broke");
                }
                ctx.emitter().emit(Event.builder("test.streamed").build());
                closed.await();
            }

            @Override
            public void close() {
                closed.countDown();
            }
        }), Duration.ofSeconds(1), Duration.ofSeconds(1)));

        await(() -> runs.get() >= 2 && spool.depth() >= 2);
        assertEquals(1, scheduler.stats().get("stream").restarts());
        scheduler.close();
        assertEquals(0, closed.getCount());
        assertEquals(List.of("agent.monitor.failed", "test.streamed"), SpooledItems.types(SpooledItems.events(spool)));
    }

    @Test
    void pluginCodeRunsWithItsOwnClassLoaderAsContextLoader() throws Exception {
        ClassLoader[] seen = new ClassLoader[1];
        scheduler.start(plan("loader", factory(ctx -> (PolledMonitor) () ->
                seen[0] = Thread.currentThread().getContextClassLoader()), Duration.ofMillis(100), Duration.ofSeconds(1)));
        await(() -> seen[0] != null);
        assertEquals(getClass().getClassLoader(), seen[0]);
    }

    @Test
    void aMonitorThatKeepsFailingIsRetriedLessAndLessOften() throws Exception {
        List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        scheduler.start(plan("down", factory(ctx -> (PolledMonitor) () -> {
            attempts.add(System.nanoTime());
            throw new java.io.IOException("connection refused");
        }), Duration.ofMillis(100), Duration.ofSeconds(5)));

        await(() -> attempts.size() >= 4);
        long gap1 = attempts.get(1) - attempts.get(0);
        long gap3 = attempts.get(3) - attempts.get(2);
        // gaps of about 100, 200 and 400 ms; without backoff all would be 100 ms
        assertTrue(gap3 >= TimeUnit.MILLISECONDS.toNanos(300), "third gap " + gap3 / 1_000_000 + " ms");
        assertTrue(gap3 > gap1, "gaps grow: " + gap1 / 1_000_000 + " then " + gap3 / 1_000_000 + " ms");
    }
}

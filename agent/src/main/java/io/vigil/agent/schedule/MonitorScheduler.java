package io.vigil.agent.schedule;

import io.vigil.agent.errorlog.ErrorSink;
import io.vigil.agent.loader.MonitorPlan;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.state.SqliteStateStore;
import io.vigil.api.Event;
import io.vigil.api.EventIds;
import io.vigil.api.Monitor;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Secrets;
import io.vigil.api.Severity;
import io.vigil.api.StreamingMonitor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the monitors: polled ones on a fixed-rate schedule with a timeout per run, streaming ones
 * on a thread each with restart backoff. Plugin code always runs with its own class loader as the
 * thread's context class loader, and any exception or linkage error it throws is caught, counted
 * and reported as an {@code agent.monitor.failed} event, so one plugin cannot stop the others.
 */
public final class MonitorScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorScheduler.class);
    static final Duration STREAM_BACKOFF_START = Duration.ofSeconds(1);
    static final Duration STREAM_BACKOFF_MAX = Duration.ofMinutes(1);

    private final Spool spool;
    private final SqliteStateStore state;
    private final Secrets secrets;
    private final Clock clock;
    private final String host;
    private final String agent;
    private final String sessionId;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("vigil-scheduler"));
    private final ExecutorService workers;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final SpoolingEmitter agentEvents;
    private final ErrorSink errors;

    public MonitorScheduler(Spool spool, SqliteStateStore state, Secrets secrets, Clock clock, String host,
                            String agent, String sessionId) {
        this(spool, state, secrets, clock, host, agent, sessionId, ErrorSink.IGNORE);
    }

    /** @param errors where every plugin failure is also recorded for the server's error log */
    public MonitorScheduler(Spool spool, SqliteStateStore state, Secrets secrets, Clock clock, String host,
                            String agent, String sessionId, ErrorSink errors) {
        this(spool, state, secrets, clock, host, agent, sessionId, errors,
                Executors.newCachedThreadPool(daemon("vigil-poll")));
    }

    /** @param workers runs the polls (a test passes one whose threads are slow to start) */
    MonitorScheduler(Spool spool, SqliteStateStore state, Secrets secrets, Clock clock, String host,
                     String agent, String sessionId, ErrorSink errors, ExecutorService workers) {
        this.workers = workers;
        this.errors = errors;
        this.spool = spool;
        this.state = state;
        this.secrets = secrets;
        this.clock = clock;
        this.host = host;
        this.agent = agent;
        this.sessionId = sessionId;
        this.agentEvents = new SpoolingEmitter(spool, host, agent, "agent", "agent", sessionId, clock,
                new MonitorStats("agent"));
    }

    /**
     * Creates and starts one monitor. A factory that throws is reported (log line and
     * {@code agent.monitor.failed} event) and the monitor is left out; the agent goes on.
     *
     * @return whether the monitor is running
     */
    public synchronized boolean start(MonitorPlan.Planned plan) {
        Running r = create(plan);
        if (r == null) {
            return false;
        }
        String name = r.name;
        if (r.monitor instanceof PolledMonitor polled) {
            long period = plan.interval().toMillis();
            // A random first delay within the interval (at most 10 s) spreads monitors that share an
            // interval, so they do not all hit the machine in the same instant.
            long firstDelay = ThreadLocalRandom.current().nextLong(Math.min(period, 10_000) / 2 + 1);
            r.schedule = ticker.scheduleAtFixedRate(() -> tick(r, polled), firstDelay, period, TimeUnit.MILLISECONDS);
            LOG.info("monitor {} ({}/{}) polls every {} (timeout {})", name, plan.pluginId(), plan.factory().kind(),
                    plan.interval(), plan.timeout());
        } else {
            startStream(r);
            LOG.info("monitor {} ({}/{}) streams", name, plan.pluginId(), plan.factory().kind());
        }
        running.put(name, r);
        return true;
    }

    /**
     * Runs one monitor once for {@code vigil-agent check NAME}: one poll (bounded by its timeout),
     * or a streaming monitor for {@code streamFor}; then closes it.
     *
     * @return its stats, or null when it could not be created
     */
    public MonitorStats runOnce(MonitorPlan.Planned plan, Duration streamFor) throws InterruptedException {
        Running r;
        synchronized (this) {
            r = create(plan);
            if (r == null) {
                return null;
            }
            running.put(r.name, r);
        }
        if (r.monitor instanceof PolledMonitor polled) {
            tick(r, polled);
            long deadline = System.nanoTime() + plan.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
            while (r.busy.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } else {
            startStream(r);
            Thread.sleep(streamFor.toMillis());
        }
        return r.stats;
    }

    private void startStream(Running r) {
        StreamingMonitor streaming = (StreamingMonitor) r.monitor;
        r.streamThread = daemon("vigil-stream-" + r.name).newThread(() -> stream(r, streaming));
        r.streamThread.start();
    }

    private Running create(MonitorPlan.Planned plan) {
        String name = plan.config().name();
        MonitorStats stats = new MonitorStats(plan.pluginId());
        SpoolingEmitter emitter = new SpoolingEmitter(spool, host, agent, name, plan.pluginId(), sessionId, clock, stats);
        AgentMonitorContext context = new AgentMonitorContext(name, plan.pluginId(), host, plan.options(), emitter,
                state.forMonitor(name), clock, secrets);
        ClassLoader pluginLoader = plan.factory().getClass().getClassLoader();
        Monitor monitor;
        try {
            monitor = withLoader(pluginLoader, () -> plan.factory().create(context));
        } catch (Exception | LinkageError e) {
            reportFailure(name, plan.pluginId(), "create", e);
            recordError(name, plan.pluginId(), "create", e);
            return null;
        }
        if (!(monitor instanceof PolledMonitor) && !(monitor instanceof StreamingMonitor)) {
            reportFailure(name, plan.pluginId(), "create", new IllegalStateException(
                    monitor == null ? "factory returned null"
                            : monitor.getClass().getName() + " is neither a PolledMonitor nor a StreamingMonitor"));
            return null;
        }
        return new Running(name, plan, monitor, emitter, pluginLoader, stats);
    }

    /** Stats of every running monitor, by name. */
    public synchronized Map<String, MonitorStats> stats() {
        Map<String, MonitorStats> out = new LinkedHashMap<>();
        running.forEach((name, r) -> out.put(name, r.stats));
        return out;
    }

    private void tick(Running r, PolledMonitor polled) {
        if (System.nanoTime() < r.retryAt) {
            return; // backing off after consecutive failures
        }
        if (!r.busy.compareAndSet(false, true)) {
            // The previous run is still going (or hung past its timeout): skip, never overlap.
            r.stats.skipped.incrementAndGet();
            LOG.debug("monitor {} skipped a run: previous run still active", r.name);
            return;
        }
        // Whoever claims the run first owns resetting busy: the run itself when it starts, or the
        // watchdog when it cancels a run that never started (a loaded machine may not schedule the
        // new thread within the timeout). Without it a run cancelled before it began left busy set
        // and every later tick was skipped: the monitor stopped for good.
        AtomicBoolean claimed = new AtomicBoolean();
        Future<?> run = workers.submit(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                r.timedOut.set(false);
                r.emitter.beginTrace(EventIds.next().toString());
                withLoader(r.loader, () -> {
                    polled.poll();
                    return null;
                });
                r.stats.runs.incrementAndGet();
                succeeded(r);
            } catch (InterruptedException e) {
                // interrupted by the timeout watchdog, which reported it
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError | StackOverflowError e) {
                if (!r.timedOut.get()) {
                    r.stats.failures.incrementAndGet();
                    failed(r, "poll", e);
                }
            } finally {
                r.busy.set(false);
            }
        });
        ticker.schedule(() -> {
            r.timedOut.set(true);
            if (run.cancel(true)) {
                r.stats.timeouts.incrementAndGet();
                failed(r, "poll", new java.util.concurrent.TimeoutException(
                        "poll ran longer than its timeout of " + r.plan.timeout() + " and was interrupted"));
                if (claimed.compareAndSet(false, true)) {
                    r.busy.set(false);
                }
            }
        }, r.plan.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stream(Running r, StreamingMonitor streaming) {
        Duration backoff = STREAM_BACKOFF_START;
        while (!r.stopping.get()) {
            long started = System.nanoTime();
            try {
                r.emitter.beginTrace(EventIds.next().toString());
                withLoader(r.loader, () -> {
                    streaming.run();
                    return null;
                });
                if (r.stopping.get()) {
                    return;
                }
                throw new IllegalStateException("run() returned while the agent had not asked it to stop");
            } catch (Exception | LinkageError | StackOverflowError e) {
                if (r.stopping.get()) {
                    return;
                }
                r.stats.failures.incrementAndGet();
                failed(r, "run", e);
            }
            if (System.nanoTime() - started > STREAM_BACKOFF_MAX.toNanos()) {
                backoff = STREAM_BACKOFF_START;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(STREAM_BACKOFF_MAX) > 0 ? STREAM_BACKOFF_MAX : backoff.multipliedBy(2);
            r.stats.restarts.incrementAndGet();
            LOG.info("restarting streaming monitor {}", r.name);
        }
    }

    private void failed(Running r, String phase, Throwable e) {
        r.stats.lastError.set(oneLine(e));
        recordError(r.name, r.plan.pluginId(), phase, e);
        // A failing target is retried less and less often: interval x 2^(n-1), at most 10 intervals
        // (and at most 1 h), so a dead database is not hammered and the log is not flooded.
        int n = r.consecutiveFailures.incrementAndGet();
        long interval = r.plan.interval().toNanos();
        long wait = Math.min(interval * (1L << Math.min(n - 1, 20)), Math.min(interval * 10, TimeUnit.HOURS.toNanos(1)));
        // ticks come every interval; half an interval of slack lets the tick at +wait through
        r.retryAt = System.nanoTime() + wait - interval / 2;
        // One event when a monitor starts failing, one when it recovers: a broken target should
        // be one alert, not one per interval.
        if (r.failing.compareAndSet(false, true)) {
            reportFailure(r.name, r.plan.pluginId(), phase, e);
        } else {
            LOG.warn("monitor {} {} failed again: {}", r.name, phase, oneLine(e));
        }
    }

    private void succeeded(Running r) {
        r.consecutiveFailures.set(0);
        r.retryAt = 0;
        if (r.failing.compareAndSet(true, false)) {
            LOG.info("monitor {} recovered", r.name);
            emitAgentEvent(Event.builder("agent.monitor.recovered").severity(Severity.INFO).subject(r.name)
                    .title("monitor " + r.name + " recovered").attribute("plugin", r.plan.pluginId())
                    .fingerprint("agent.monitor:" + host + ":" + r.name));
        }
    }

    private void reportFailure(String name, String plugin, String phase, Throwable e) {
        LOG.error("monitor {} ({}) {} failed: {}", name, plugin, phase, oneLine(e), e);
        emitAgentEvent(Event.builder("agent.monitor.failed").severity(Severity.MEDIUM).subject(name)
                .title("monitor " + name + " " + phase + " failed: " + truncate(oneLine(e)))
                .attribute("plugin", plugin)
                .attribute("phase", phase)
                .attribute("error_type", e.getClass().getName())
                .attribute("message", truncate(String.valueOf(e.getMessage())))
                .fingerprint("agent.monitor:" + host + ":" + name));
    }

    /** Every failure, not only the first of a series: the error log counts them (one group per error). */
    private void recordError(String name, String plugin, String phase, Throwable e) {
        errors.record("monitor:" + name, ErrorSink.Level.ERROR,
                "monitor " + name + " (" + plugin + ") " + phase + " failed: " + oneLine(e), e);
    }

    private void emitAgentEvent(Event.Builder event) {
        try {
            agentEvents.emitInOwnTrace(event.time(clock.instant()).build());
        } catch (RuntimeException e) {
            LOG.error("cannot record agent event", e);
        }
    }

    private static String oneLine(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    private interface PluginCall<T> {
        T call() throws Exception;
    }

    private static <T> T withLoader(ClassLoader loader, PluginCall<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Stops every monitor: cancels schedules, closes monitors, interrupts what still runs. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        List<Thread> streams = new ArrayList<>();
        for (Running r : running.values()) {
            r.stopping.set(true);
            if (r.schedule != null) {
                r.schedule.cancel(false);
            }
            try {
                withLoader(r.loader, () -> {
                    r.monitor.close();
                    return null;
                });
            } catch (Exception | LinkageError e) {
                LOG.warn("monitor {} failed to close: {}", r.name, oneLine(e));
            }
            r.emitter.close();
            if (r.streamThread != null) {
                r.streamThread.interrupt();
                streams.add(r.streamThread);
            }
        }
        workers.shutdownNow();
        for (Thread t : streams) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agentEvents.close();
        running.clear();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Running {
        final String name;
        final MonitorPlan.Planned plan;
        final Monitor monitor;
        final SpoolingEmitter emitter;
        final ClassLoader loader;
        final MonitorStats stats;
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicBoolean timedOut = new AtomicBoolean();
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicBoolean stopping = new AtomicBoolean();
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        volatile long retryAt;
        volatile java.util.concurrent.ScheduledFuture<?> schedule;
        volatile Thread streamThread;

        Running(String name, MonitorPlan.Planned plan, Monitor monitor, SpoolingEmitter emitter, ClassLoader loader,
                MonitorStats stats) {
            this.name = name;
            this.plan = plan;
            this.monitor = monitor;
            this.emitter = emitter;
            this.loader = loader;
            this.stats = stats;
        }
    }
}

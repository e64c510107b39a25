package io.vigil.agent.schedule;

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
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("vigil-poll"));
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final SpoolingEmitter agentEvents;

    public MonitorScheduler(Spool spool, SqliteStateStore state, Secrets secrets, Clock clock, String host,
                            String agent, String sessionId) {
        this.spool = spool;
        this.state = state;
        this.secrets = secrets;
        this.clock = clock;
        this.host = host;
        this.agent = agent;
        this.sessionId = sessionId;
        this.agentEvents = new SpoolingEmitter(spool, host, agent, "agent", "agent", sessionId, clock);
    }

    /**
     * Creates and starts one monitor. A factory that throws is reported (log line and
     * {@code agent.monitor.failed} event) and the monitor is left out; the agent goes on.
     *
     * @return whether the monitor is running
     */
    public synchronized boolean start(MonitorPlan.Planned plan) {
        String name = plan.config().name();
        SpoolingEmitter emitter = new SpoolingEmitter(spool, host, agent, name, plan.pluginId(), sessionId, clock);
        AgentMonitorContext context = new AgentMonitorContext(name, plan.pluginId(), host, plan.options(), emitter,
                state.forMonitor(name), clock, secrets);
        ClassLoader pluginLoader = plan.factory().getClass().getClassLoader();
        MonitorStats stats = new MonitorStats();
        Monitor monitor;
        try {
            monitor = withLoader(pluginLoader, () -> plan.factory().create(context));
        } catch (Exception | LinkageError e) {
            stats.failures.incrementAndGet();
            reportFailure(name, plan.pluginId(), "create", e);
            return false;
        }
        Running r = new Running(name, plan, monitor, emitter, pluginLoader, stats);
        if (monitor instanceof PolledMonitor polled) {
            long period = plan.interval().toMillis();
            r.schedule = ticker.scheduleAtFixedRate(() -> tick(r, polled), 0, period, TimeUnit.MILLISECONDS);
            LOG.info("monitor {} ({}/{}) polls every {} (timeout {})", name, plan.pluginId(), plan.factory().kind(),
                    plan.interval(), plan.timeout());
        } else if (monitor instanceof StreamingMonitor streaming) {
            r.streamThread = daemon("vigil-stream-" + name).newThread(() -> stream(r, streaming));
            r.streamThread.start();
            LOG.info("monitor {} ({}/{}) streams", name, plan.pluginId(), plan.factory().kind());
        } else {
            stats.failures.incrementAndGet();
            reportFailure(name, plan.pluginId(), "create", new IllegalStateException(
                    monitor == null ? "factory returned null"
                            : monitor.getClass().getName() + " is neither a PolledMonitor nor a StreamingMonitor"));
            return false;
        }
        running.put(name, r);
        return true;
    }

    /** Stats of every running monitor, by name. */
    public synchronized Map<String, MonitorStats> stats() {
        Map<String, MonitorStats> out = new LinkedHashMap<>();
        running.forEach((name, r) -> out.put(name, r.stats));
        return out;
    }

    private void tick(Running r, PolledMonitor polled) {
        if (!r.busy.compareAndSet(false, true)) {
            // The previous run is still going (or hung past its timeout): skip, never overlap.
            r.stats.skipped.incrementAndGet();
            LOG.debug("monitor {} skipped a run: previous run still active", r.name);
            return;
        }
        Future<?> run = workers.submit(() -> {
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
        // One event when a monitor starts failing, one when it recovers: a broken target should
        // be one alert, not one per interval.
        if (r.failing.compareAndSet(false, true)) {
            reportFailure(r.name, r.plan.pluginId(), phase, e);
        } else {
            LOG.warn("monitor {} {} failed again: {}", r.name, phase, oneLine(e));
        }
    }

    private void succeeded(Running r) {
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

    private void emitAgentEvent(Event.Builder event) {
        try {
            agentEvents.emit(event.time(clock.instant()).build());
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

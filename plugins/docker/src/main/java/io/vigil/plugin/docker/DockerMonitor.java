package io.vigil.plugin.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Version;
import io.vigil.api.Event;
import io.vigil.api.MonitorContext;
import io.vigil.api.Severity;
import io.vigil.api.StreamingMonitor;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Follows one Docker engine. {@link #run()} takes an inventory, then follows the container event
 * stream from the cursor in the state store, reconnecting by itself with backoff (250 ms doubling
 * to 30 s) when the stream or the engine goes away; it reports the engine unreachable once and
 * reachable once when it answers again, and takes a new inventory then, because the engine may
 * have restarted and lost the events of the gap. {@link #close()} ends the stream and {@code run}
 * returns.
 *
 * <p>Threads: the run thread connects and waits; docker-java's stream thread delivers events; a
 * small scheduler settles pending outcomes every 100 ms, pings the engine every 15 s while the
 * stream is open (a half-open TCP connection would otherwise wait for ever), and samples metrics
 * when they are on. Event handling and the tracker are guarded by one lock.
 */
final class DockerMonitor implements StreamingMonitor {

    static final String CURSOR_KEY = "events.cursor";
    static final String UNREACHABLE_KEY = "engine.unreachable_since";
    static final String[] ACTIONS = {"create", "start", "restart", "kill", "oom", "die", "stop", "pause", "unpause",
        "destroy", "health_status"};

    private static final long BACKOFF_START_MS = 250;
    private static final long BACKOFF_MAX_MS = 30_000;
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(60);
    private static final Duration WATCHDOG = Duration.ofSeconds(15);
    private static final int INVENTORY_LIST_LIMIT = 100;

    private final MonitorContext ctx;
    private final DockerSettings settings;
    private final Logger log;
    private final String engine;
    private final DockerTls tls;
    private final ContainerFilter filter;
    private final DatabaseClassifier classifier;
    private final LifecycleTracker tracker;
    private final DatabaseDiscovery discovery;
    private final Map<String, ContainerFacts> facts = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean metricsBusy = new AtomicBoolean();

    private volatile boolean closed;
    private volatile EngineConnection connection;
    private volatile StreamCallback stream;
    private volatile boolean engineDown;
    private ScheduledExecutorService scheduler;
    private ExecutorService metricsPool;
    private ExecutorService inspector;
    private EventCursor cursor;
    private boolean primed;
    private boolean needInventory = true;
    private boolean inventoryTaken;
    private Set<String> savedPending = Set.of();

    DockerMonitor(MonitorContext ctx, DockerSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.log = ctx.logger();
        this.engine = "unix".equals(settings.host().getScheme()) ? ctx.host()
                : settings.host().getHost() + ":" + settings.host().getPort();
        this.tls = settings.tlsVerify() ? DockerTls.load(settings.tlsCertPath()) : null;
        this.filter = new ContainerFilter(settings.includeNames(), settings.includeLabels());
        this.classifier = new DatabaseClassifier(settings.databaseImages(), settings.databasePorts(),
                settings.databaseEnvPrefixes(), settings.databaseLabels());
        this.tracker = new LifecycleTracker(engine, settings.stopCorrelationWindow(), settings.restartLoopCount(),
                settings.restartLoopWindow(), this::emit, System::nanoTime);
        this.discovery = new DatabaseDiscovery(ctx.state(), engine, this::emit);
        this.cursor = ctx.state().get(CURSOR_KEY).map(EventCursor::fromJson).orElse(null);
    }

    @Override
    public void run() throws Exception {
        startBackground();
        long backoff = BACKOFF_START_MS;
        try {
            while (!closed) {
                long started = System.nanoTime();
                Exception failure = null;
                try {
                    followOnce();
                } catch (InterruptedException e) {
                    return; // the agent is stopping us
                } catch (Exception e) {
                    failure = e;
                }
                if (closed || Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (!answers()) {
                    engineUnreachable(failure != null ? failure : new IOException("the event stream ended"));
                } else if (failure != null) {
                    log.warn("docker event stream from {} failed, reconnecting: {}", settings.host(), oneLine(failure));
                }
                if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                    backoff = BACKOFF_START_MS;
                }
                if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
                backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
            }
        } finally {
            stopBackground();
        }
    }

    /** Connects, takes the inventory if due, and follows events until the stream ends. */
    private void followOnce() throws Exception {
        EngineConnection conn = EngineConnection.open(settings, tls);
        connection = conn;
        try {
            if (closed) {
                return;
            }
            Version version = conn.requests().versionCmd().exec();
            engineReachable(version, conn.apiVersion());
            String since;
            boolean replay;
            synchronized (lock) {
                if (cursor == null) {
                    cursor = EventCursor.at(engineTimeNano(conn.requests()));
                    saveCursor();
                }
            }
            if (needInventory) {
                inventory(conn, version, inventoryTaken ? "reconnected" : "start");
                needInventory = false;
                inventoryTaken = true;
                if (settings.metricsEnabled()) {
                    scheduler.execute(this::collectMetrics);
                }
            }
            synchronized (lock) {
                // a new monitor re-reads what happened shortly before the cursor, silently, so that
                // a kill before the restart still makes the die after it planned, and a loop stays one
                replay = !primed;
                Duration lookBack = settings.stopCorrelationWindow().compareTo(settings.restartLoopWindow()) > 0
                        ? settings.stopCorrelationWindow() : settings.restartLoopWindow();
                since = replay ? cursor.since(lookBack.plus(LifecycleTracker.SETTLE)) : cursor.since();
                primed = true;
            }
            StreamCallback callback = new StreamCallback(conn.requests(), replay);
            stream = callback;
            if (closed) {
                return;
            }
            conn.stream().eventsCmd()
                    .withSince(since)
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter(ACTIONS)
                    .exec(callback);
            callback.await();
            if (callback.error != null && !closed) {
                throw callback.error instanceof Exception ex ? ex : new IOException(callback.error);
            }
        } finally {
            stream = null;
            connection = null;
            conn.close();
        }
    }

    /** Handles one event from the stream. */
    private void onEngineEvent(com.github.dockerjava.api.model.Event raw, DockerClient requests, boolean replay) {
        if (raw.getActor() == null || raw.getAction() == null) {
            return;
        }
        long timeNano = raw.getTimeNano() != null ? raw.getTimeNano()
                : raw.getTime() != null ? raw.getTime() * 1_000_000_000L : 0;
        EngineEvent e = new EngineEvent(raw.getActor().getId(), raw.getAction(), timeNano, raw.getActor().getAttributes());
        synchronized (lock) {
            boolean processed = cursor.isProcessed(e);
            if (processed && !replay) {
                return; // the event at the cursor's own time stamp, delivered again by since
            }
            boolean live = !processed || cursor.isPending(e);
            ContainerFacts fromEvent = ContainerFacts.of(e);
            if (filter.includes(fromEvent.name(), fromEvent.labels())) {
                tracker.onEvent(e, factsFor(e, requests, live), live);
                if (e.baseAction().equals("destroy")) {
                    facts.remove(e.containerId());
                    discovery.forget(e.containerId());
                }
            }
            if (!processed) {
                cursor.advance(e);
                saveCursor();
            }
        }
    }

    /**
     * What is known of the event's container. A new container is judged from the event (name,
     * image, labels) at once and inspected in the background for its environment and ports:
     * inspecting it here would wait for the engine's lock on the container, which {@code docker
     * run}'s start holds for a few hundred milliseconds, and hold up every event behind it.
     */
    private ContainerFacts factsFor(EngineEvent e, DockerClient requests, boolean live) {
        ContainerFacts known = facts.get(e.containerId());
        if (known != null) {
            return known;
        }
        ContainerFacts f = ContainerFacts.of(e);
        f = f.withDatabase(classifier.classify(f));
        if (!e.baseAction().equals("destroy")) {
            facts.put(e.containerId(), f);
            inspector.execute(() -> inspected(e, requests, live));
        }
        return f;
    }

    /** Completes a new container's facts; a database created while watched is reported now. */
    private void inspected(EngineEvent e, DockerClient requests, boolean live) {
        ContainerFacts f;
        try {
            f = ContainerFacts.of(requests.inspectContainerCmd(e.containerId()).exec());
        } catch (NotFoundException gone) {
            f = facts.get(e.containerId()); // removed already (docker run --rm): judge by the event
        } catch (RuntimeException e2) {
            log.debug("cannot inspect container {}: {}", e.containerId(), oneLine(e2));
            f = facts.get(e.containerId());
        }
        if (f == null) {
            return;
        }
        f = f.withDatabase(classifier.classify(f));
        synchronized (lock) {
            if (!facts.containsKey(e.containerId())) {
                return; // removed meanwhile: nothing left to register
            }
            facts.put(e.containerId(), f);
            if (live && e.baseAction().equals("create")) {
                discovery.discover(f, false, e.time());
            }
        }
    }

    /** Facts by id for the metrics, inspecting on a miss. */
    private ContainerFacts factsById(DockerClient requests, String id) {
        ContainerFacts known = facts.get(id);
        if (known != null) {
            return known;
        }
        ContainerFacts f = ContainerFacts.of(requests.inspectContainerCmd(id).exec());
        f = f.withDatabase(classifier.classify(f));
        facts.put(id, f);
        return f;
    }

    private void inventory(EngineConnection conn, Version version, String reason) {
        DockerClient docker = conn.requests();
        Instant now = ctx.clock().instant();
        List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
        Map<String, Integer> states = new TreeMap<>();
        for (String s : List.of("running", "paused", "restarting", "exited", "created", "dead")) {
            states.put(s, 0);
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        List<ContainerFacts> databases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int followed = 0;
        for (Container c : all) {
            ids.add(c.getId());
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : ContainerFacts.trimName(c.getNames()[0]);
            if (!filter.includes(name, c.getLabels() == null ? Map.of() : c.getLabels())) {
                continue;
            }
            ContainerFacts f;
            try {
                InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
                f = ContainerFacts.of(inspect);
            } catch (NotFoundException gone) {
                continue;
            }
            f = f.withDatabase(classifier.classify(f));
            facts.put(f.id(), f);
            followed++;
            states.merge(c.getState() == null ? "unknown" : c.getState(), 1, Integer::sum);
            if (f.database().database()) {
                databases.add(f);
            }
            if (listed.size() < INVENTORY_LIST_LIMIT) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", f.shortId());
                entry.put("name", f.name());
                entry.put("image", f.image());
                entry.put("state", c.getState());
                if (f.database().database()) {
                    entry.put("database_kind", f.database().kind());
                }
                listed.add(entry);
            }
        }
        Map<String, Object> engineInfo = new LinkedHashMap<>();
        engineInfo.put("host", settings.host().toString());
        engineInfo.put("version", version.getVersion());
        engineInfo.put("api_version", conn.apiVersion());
        emit(Event.builder("docker.inventory")
                .severity(Severity.INFO)
                .time(now)
                .subject(engine)
                .title(followed + " containers on " + engine + " (" + states.get("running") + " running, "
                        + databases.size() + " databases)")
                .fingerprint("docker:" + engine + ":inventory")
                .attribute("reason", reason)
                .attribute("engine", engineInfo)
                .attribute("total", followed)
                .attribute("states", new LinkedHashMap<String, Object>(states))
                .attribute("databases", databases.size())
                .attribute("containers", listed)
                .attribute("truncated", followed > listed.size())
                .build());
        synchronized (lock) {
            for (ContainerFacts db : databases) {
                discovery.discover(db, true, now);
            }
            discovery.retainOnly(ids);
        }
    }

    private void engineReachable(Version version, String apiVersion) {
        engineDown = false;
        Optional<String> since = ctx.state().get(UNREACHABLE_KEY);
        if (since.isEmpty()) {
            return;
        }
        needInventory = true;
        emit(Event.builder("docker.engine.reachable")
                .severity(Severity.INFO)
                .time(ctx.clock().instant())
                .subject(engine)
                .title("Docker engine " + settings.host() + " answers again (version " + version.getVersion() + ")")
                .fingerprint("docker:" + engine + ":engine")
                .attribute("host", settings.host().toString())
                .attribute("version", version.getVersion())
                .attribute("api_version", apiVersion)
                .attribute("unreachable_since", since.get())
                .build());
        ctx.state().remove(UNREACHABLE_KEY);
        log.info("docker engine {} reachable again", settings.host());
    }

    private void engineUnreachable(Exception cause) {
        engineDown = true;
        needInventory = true;
        if (ctx.state().get(UNREACHABLE_KEY).isPresent()) {
            return; // reported already, maybe before an agent restart
        }
        Instant now = ctx.clock().instant();
        emit(Event.builder("docker.engine.unreachable")
                .severity(Severity.HIGH)
                .time(now)
                .subject(engine)
                .title("Docker engine " + settings.host() + " does not answer: " + oneLine(cause))
                .fingerprint("docker:" + engine + ":engine")
                .attribute("host", settings.host().toString())
                .attribute("error", oneLine(cause))
                .build());
        ctx.state().put(UNREACHABLE_KEY, now.toString());
        log.warn("docker engine {} unreachable, retrying with backoff: {}", settings.host(), oneLine(cause));
    }

    /** Whether the engine answers a ping now (on a fresh connection: the old one may be dead). */
    private boolean answers() {
        try (EngineConnection probe = EngineConnection.open(settings, tls)) {
            probe.requests().pingCmd().exec();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The engine's clock now, so the first cursor is in the engine's time, not the agent's. */
    private long engineTimeNano(DockerClient docker) {
        try {
            String text = docker.infoCmd().exec().getSystemTime();
            Instant t = OffsetDateTime.parse(text).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (RuntimeException e) {
            Instant t = Instant.now();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        }
    }

    private void saveCursor() {
        cursor.pending(tracker.pendingKeys());
        savedPending = tracker.pendingKeys();
        ctx.state().put(CURSOR_KEY, cursor.toJson());
    }

    private void tick() {
        synchronized (lock) {
            tracker.tick();
            if (cursor != null && !tracker.pendingKeys().equals(savedPending)) {
                saveCursor();
            }
        }
    }

    private void watchdog() {
        EngineConnection conn = connection;
        StreamCallback open = stream;
        if (conn == null || open == null) {
            return;
        }
        try {
            conn.requests().pingCmd().exec();
        } catch (RuntimeException e) {
            log.warn("docker engine {} stopped answering pings; reconnecting: {}", settings.host(), oneLine(e));
            open.close();
        }
    }

    private void collectMetrics() {
        EngineConnection conn = connection;
        if (conn == null || engineDown || !metricsBusy.compareAndSet(false, true)) {
            return;
        }
        try {
            new ContainerMetrics(filter, this::factsById, ctx.emitter(), ctx.clock(), metricsPool, log).collect(conn.requests());
        } catch (RuntimeException e) {
            log.warn("container metrics failed: {}", oneLine(e));
        } finally {
            metricsBusy.set(false);
        }
    }

    private void startBackground() {
        ClassLoader loader = DockerMonitor.class.getClassLoader();
        scheduler = Executors.newScheduledThreadPool(2, daemon("vigil-docker-" + ctx.monitorName(), loader));
        scheduler.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        inspector = Executors.newSingleThreadExecutor(daemon("vigil-docker-inspect-" + ctx.monitorName(), loader));
        scheduler.scheduleWithFixedDelay(this::watchdog, WATCHDOG.toMillis(), WATCHDOG.toMillis(), TimeUnit.MILLISECONDS);
        if (settings.metricsEnabled()) {
            metricsPool = Executors.newFixedThreadPool(settings.metricsConcurrency(),
                    daemon("vigil-docker-stats-" + ctx.monitorName(), loader));
            long every = settings.metricsInterval().toMillis();
            scheduler.scheduleAtFixedRate(this::collectMetrics, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void stopBackground() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (metricsPool != null) {
            metricsPool.shutdownNow();
        }
        if (inspector != null) {
            inspector.shutdownNow();
        }
    }

    private void emit(Event event) {
        try {
            ctx.emitter().emit(event);
        } catch (IllegalStateException stopped) {
            log.debug("event {} after the monitor stopped: {}", event.type(), stopped.getMessage());
        }
    }

    /** Ends the event stream; {@link #run()} returns. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        StreamCallback open = stream;
        if (open != null) {
            open.close();
        }
        EngineConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }

    /** For tests: cut the event stream as a network failure would, keeping the monitor running. */
    void cutStream() {
        StreamCallback open = stream;
        if (open != null) {
            open.close();
        }
    }

    /** For tests: whether the event stream is open. */
    boolean streaming() {
        StreamCallback open = stream;
        return open != null && open.started;
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
    }

    private static ThreadFactory daemon(String prefix, ClassLoader loader) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            // docker-java and Jackson look things up through the context class loader
            t.setContextClassLoader(loader);
            return t;
        };
    }

    /**
     * Receives the event stream on docker-java's stream thread. Its own implementation rather than
     * docker-java's adapter, which logs every cut connection as an error with a stack trace.
     */
    private final class StreamCallback implements ResultCallback<com.github.dockerjava.api.model.Event> {
        private final DockerClient requests;
        private final boolean replay;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Closeable source;
        private volatile boolean started;
        private volatile boolean finished;
        volatile Throwable error;

        StreamCallback(DockerClient requests, boolean replay) {
            this.requests = requests;
            this.replay = replay;
        }

        @Override
        public void onStart(Closeable closeable) {
            source = closeable;
            started = true;
            if (finished) {
                closeSource();
            }
        }

        @Override
        public void onNext(com.github.dockerjava.api.model.Event event) {
            if (finished) {
                return;
            }
            try {
                onEngineEvent(event, requests, replay);
            } catch (RuntimeException e) {
                log.error("docker event {} not handled: {}", event.getAction(), oneLine(e), e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (!finished) {
                error = throwable;
            }
            close();
        }

        @Override
        public void onComplete() {
            close();
        }

        @Override
        public void close() {
            finished = true;
            closeSource();
            done.countDown();
        }

        private void closeSource() {
            Closeable s = source;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException | RuntimeException ignored) {
                    // the stream is going away either way
                }
            }
        }

        void await() throws InterruptedException {
            done.await();
        }
    }
}

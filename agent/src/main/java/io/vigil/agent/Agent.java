package io.vigil.agent;

import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.config.ConfigException;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.agent.errorlog.ErrorBook;
import io.vigil.agent.loader.MonitorPlan;
import io.vigil.agent.loader.PluginCatalog;
import io.vigil.agent.schedule.MonitorScheduler;
import io.vigil.agent.ship.ErrorShipper;

import io.vigil.agent.schedule.MonitorStats;
import io.vigil.agent.session.AgentSession;
import io.vigil.agent.ship.Shipper;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.state.SqliteStateStore;
import io.vigil.api.EventIds;
import io.vigil.api.VigilApi;
import java.io.IOException;
import java.time.Clock;
import io.vigil.agent.health.AgentEndpoint;
import io.vigil.agent.ship.AgentHealth;
import io.vigil.agent.ship.Heartbeat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: the plugins loaded, the monitors scheduled, the spool open and the shipper
 * sending. {@link #start} either returns a running agent or throws with every configuration
 * problem; {@link #close} stops in the reverse order, leaving unshipped items in the spool for
 * the next start.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    /** This agent build's version, from the jar manifest (or "dev" when run from classes). */
    public static final String VERSION = versionOf();

    private final AgentConfig config;
    private final PluginCatalog catalog;
    private final SqliteStateStore state;
    private final Spool spool;
    private final MonitorScheduler scheduler;
    private final Shipper shipper;
    private final Thread shipperThread;
    private final String sessionId;
    private final ErrorBook errors;
    private final ErrorShipper errorShipper;
    private final Thread errorShipperThread;
    private AgentEndpoint endpoint;
    private AgentSession session;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private Agent(AgentConfig config, PluginCatalog catalog, SqliteStateStore state, Spool spool,
                  MonitorScheduler scheduler, Shipper shipper, String sessionId, ErrorBook errors,
                  ErrorShipper errorShipper) {
        this.errors = errors;
        this.errorShipper = errorShipper;
        this.errorShipperThread = new Thread(errorShipper, "vigil-error-shipper");
        this.errorShipperThread.setDaemon(true);
        this.config = config;
        this.catalog = catalog;
        this.state = state;
        this.spool = spool;
        this.scheduler = scheduler;
        this.shipper = shipper;
        this.sessionId = sessionId;
        this.shipperThread = new Thread(shipper, "vigil-shipper");
        this.shipperThread.setDaemon(true);
    }

    /**
     * Loads plugins, validates every monitor against them, opens the spool and state, and starts
     * monitoring and shipping.
     *
     * @throws ConfigException when a monitor names an unknown plugin or kind, or its options are
     *                         invalid; nothing is started then
     */
    public static Agent start(AgentConfig config, EnvironmentSecrets secrets, Clock clock)
            throws ConfigException, IOException {
        String token;
        try {
            token = secrets.resolveValue(config.tokenRef());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new io.vigil.agent.config.ConfigProblem(config.file().toString(), 0,
                    "server.token", e.getMessage())));
        }
        PluginCatalog catalog = PluginCatalog.load(config.pluginsDir());
        catalog.problems().forEach(p -> LOG.error("{}", p));
        List<MonitorPlan.Planned> plan;
        try {
            plan = MonitorPlan.resolve(config, catalog, secrets);
        } catch (ConfigException e) {
            catalog.close();
            throw e;
        }
        SqliteStateStore state = SqliteStateStore.open(config.stateDir().resolve("state.db"));
        Spool spool = Spool.open(config.stateDir().resolve("spool.db"), config.spool().maxBytes());
        if (spool.recoveredFromDamage()) {
            LOG.error("the spool was damaged and replaced; items in the damaged file were not shipped");
        }
        String sessionId = EventIds.next().toString();
        ErrorBook errors = ErrorBook.open(config.stateDir().resolve("errors.db"), clock);
        MonitorScheduler scheduler = new MonitorScheduler(spool, state, secrets, clock, config.host(),
                config.agentName(), sessionId, errors);
        String userAgent = "vigil-agent/" + VERSION + " (" + config.agentName() + ")";
        Shipper shipper = new Shipper(spool, config.serverUrl(), token, config.httpTimeout(), config.spool(),
                userAgent, errors);
        // the agent's own errors go with the heartbeat's cadence: a record of failures, not an alarm
        ErrorShipper errorShipper = new ErrorShipper(errors, config.serverUrl(), token, config.httpTimeout(),
                config.heartbeatInterval(), config.spool(), userAgent);
        Agent agent = new Agent(config, catalog, state, spool, scheduler, shipper, sessionId, errors, errorShipper);
        agent.shipperThread.start();
        agent.errorShipperThread.start();
        if (config.listen() != null) {
            try {
                agent.endpoint = AgentEndpoint.start(config.listen(), new AgentEndpoint.AgentView(config.agentName(),
                        VERSION, sessionId, spool, shipper.stats(), scheduler::stats, agent::pluginVersions));
                LOG.info("agent endpoint on http://{}:{}/ (health, metrics, status)",
                        agent.endpoint.address().getHostString(), agent.endpoint.address().getPort());
            } catch (IOException e) {
                // Monitoring matters more than the agent's own page: say so and go on.
                LOG.error("cannot listen on {} for /health and /metrics ({}); set agent.listen to a free address or off",
                        config.listen(), e.getMessage());
            }
        }
        AgentHealth health = new AgentHealth(scheduler::stats, shipper.stats(), spool::depth,
                config.heartbeatInterval(), clock::millis);
        Heartbeat heartbeat = new Heartbeat(config.serverUrl(), token, config.httpTimeout(), config.agentName(),
                config.host(), VERSION, sessionId, agent::pluginVersions, () -> scheduler.stats().size(), spool,
                health, config.heartbeatInterval());
        long every = config.heartbeatInterval().toMillis();
        agent.heartbeats.scheduleAtFixedRate(heartbeat, 0, every, TimeUnit.MILLISECONDS);
        // before any monitor runs: the session's first event says what this process is
        agent.session = AgentSession.begin(sessionId, new AgentSession.Identity(config.agentName(), config.host(),
                VERSION, agent.pluginVersions(), plan.stream().map(p -> p.config().name()).toList()), spool, state, clock);
        int started = 0;
        for (MonitorPlan.Planned p : plan) {
            if (scheduler.start(p)) {
                started++;
            }
        }
        LOG.info("vigil-agent {} (SPI {}) started as {} on {}: {} of {} monitors running, {} plugins, session {}",
                VERSION, VigilApi.VERSION, config.agentName(), config.host(), started, plan.size(),
                catalog.plugins().size(), sessionId);
        return agent;
    }

    public AgentConfig config() {
        return config;
    }

    public MonitorScheduler scheduler() {
        return scheduler;
    }

    public Spool spool() {
        return spool;
    }

    public Shipper shipper() {
        return shipper;
    }

    /** The agent's own errors not yet shipped to the server's error log. */
    public ErrorBook errors() {
        return errors;
    }

    public PluginCatalog catalog() {
        return catalog;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The agent's own endpoint address, or null when disabled or not bound. */
    public java.net.InetSocketAddress endpointAddress() {
        return endpoint == null ? null : endpoint.address();
    }

    private Map<String, String> pluginVersions() {
        Map<String, String> out = new TreeMap<>();
        catalog.plugins().forEach((id, p) -> out.put(id, p.version()));
        return out;
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        Map<String, MonitorStats> monitorStats = scheduler.stats(); // closing forgets the monitors
        scheduler.close();
        // before the drain, so the end of the session ships with the rest
        if (session != null) {
            session.end(monitorStats.values(), shipper.stats());
        }
        // Drain: give the shipper a bounded time to send what the monitors left, so a clean stop
        // (SIGTERM from systemd) leaves nothing behind when the server is reachable.
        try {
            spool.awaitEmpty(config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping: {} items left in the spool for the next start", spool.depth());
        if (endpoint != null) {
            endpoint.close();
        }
        shipper.stop();
        shipperThread.interrupt();
        errorShipper.stop();
        errorShipperThread.interrupt();
        try {
            shipperThread.join(10_000);
            errorShipperThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catalog.close();
        try {
            spool.close();
            state.close();
            errors.close();
        } catch (Exception e) {
            LOG.warn("closing local databases: {}", e.getMessage());
        }
    }

    private static String versionOf() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}

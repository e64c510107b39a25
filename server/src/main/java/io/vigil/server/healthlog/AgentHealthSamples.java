package io.vigil.server.healthlog;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * Turns an agent's heartbeat into a health sample of the component {@code agent/<name>}, stamped
 * with the server's clock (like {@code agents.last_heartbeat_at}, so a host with a wrong clock is
 * judged correctly). A heartbeat from an agent older than health samples carries no health fields:
 * it counts as healthy, with the interval {@code vigil.health.agent-interval}.
 */
@Singleton
public class AgentHealthSamples {

    /**
     * The health part of a heartbeat; every field may be missing.
     *
     * @param status      healthy, degraded or down (null: healthy)
     * @param reason      why not healthy
     * @param intervalMs  the agent's heartbeat interval
     * @param latencyMs   the last batch's round trip
     * @param cpu         process CPU load, fraction of all CPUs
     * @param memoryBytes resident set size (or heap)
     * @param errorCount  errors since the agent started
     * @param spoolDepth  items in the spool
     */
    public record Report(@Nullable HealthStatus status, @Nullable String reason, @Nullable Long intervalMs,
                         @Nullable Double latencyMs, @Nullable Double cpu, @Nullable Long memoryBytes,
                         @Nullable Long errorCount, @Nullable Long spoolDepth) {
    }

    private final HealthLog log;
    private final HealthSettings settings;
    private final Clock clock;

    AgentHealthSamples(HealthLog log, HealthSettings settings) {
        this.log = log;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    /** The component name of an agent. */
    public static String component(String agentName) {
        return "agent/" + agentName;
    }

    /** Stores the sample of one heartbeat of the agent {@code agentId} named {@code agentName}. */
    public void record(long agentId, String agentName, Report r) {
        HealthStatus status = r.status() == null ? HealthStatus.HEALTHY : r.status();
        Duration interval = r.intervalMs() == null ? settings.getAgentInterval() : Duration.ofMillis(r.intervalMs());
        log.record(new HealthSample(clock.instant(), component(agentName), HealthSample.Kind.AGENT, agentId, status,
                r.reason() == null ? "" : r.reason(), interval, r.latencyMs(), r.cpu(), r.memoryBytes(),
                r.errorCount(), r.spoolDepth(), null, null));
    }
}

package io.vigil.server.healthlog;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** Component health sampling ({@code vigil.health.*}); application.yml documents each key. */
@ConfigurationProperties("vigil.health")
public class HealthSettings {

    /** false: this server takes no samples of its own and checks no silence (heartbeats still store theirs). */
    private boolean enabled = true;
    /** How often the server samples its own components and checks for silent ones. */
    private Duration interval = Duration.ofSeconds(30);
    /** The interval assumed for an agent whose heartbeat does not say (agents before health samples). */
    private Duration agentInterval = Duration.ofSeconds(30);
    /** Notifications pending or being sent above which the outbox is degraded. */
    private long outboxBacklogThreshold = 100;
    /** A {@code SELECT 1} round trip slower than this makes the database degraded. */
    private Duration databaseSlow = Duration.ofMillis(250);
    /** Heap used over its maximum above which the JVM is degraded. */
    private double heapDegradedRatio = 0.9;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = between("vigil.health.interval", interval);
    }

    public Duration getAgentInterval() {
        return agentInterval;
    }

    public void setAgentInterval(Duration agentInterval) {
        this.agentInterval = between("vigil.health.agent-interval", agentInterval);
    }

    public long getOutboxBacklogThreshold() {
        return outboxBacklogThreshold;
    }

    public void setOutboxBacklogThreshold(long outboxBacklogThreshold) {
        if (outboxBacklogThreshold < 0) {
            throw new IllegalArgumentException("vigil.health.outbox-backlog-threshold must not be negative, got "
                    + outboxBacklogThreshold);
        }
        this.outboxBacklogThreshold = outboxBacklogThreshold;
    }

    public Duration getDatabaseSlow() {
        return databaseSlow;
    }

    public void setDatabaseSlow(Duration databaseSlow) {
        this.databaseSlow = databaseSlow;
    }

    public double getHeapDegradedRatio() {
        return heapDegradedRatio;
    }

    public void setHeapDegradedRatio(double heapDegradedRatio) {
        if (!(heapDegradedRatio > 0 && heapDegradedRatio <= 1)) {
            throw new IllegalArgumentException("vigil.health.heap-degraded-ratio must be in (0, 1], got "
                    + heapDegradedRatio);
        }
        this.heapDegradedRatio = heapDegradedRatio;
    }

    private static Duration between(String key, Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(HealthSample.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(key + " must be between 1s and 1h, got " + d);
        }
        return d;
    }
}

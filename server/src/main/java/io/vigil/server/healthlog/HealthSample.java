package io.vigil.server.healthlog;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * One health report of a component, as stored in {@code health_samples}. Figures that do not apply
 * to the component are null.
 *
 * @param time         when it was taken, by the server's clock
 * @param component    {@code agent/<name>} or {@code server/<instance>/<part>}
 * @param kind         {@code agent} or {@code server}
 * @param agentId      the agent's id for an agent component
 * @param status       healthy, degraded or down
 * @param reason       why not healthy; empty when healthy
 * @param interval     how often the component reports (a sample covers at most twice this)
 * @param latencyMs    agents: the last batch's round trip
 * @param cpu          process CPU load as a fraction of all CPUs (0 to 1)
 * @param memoryBytes  agents: resident set size (else heap used); server jvm: heap used
 * @param errorCount   agents: errors since start; server ingest: batches refused since the previous sample
 * @param spoolDepth   agents: items waiting in the spool
 * @param outboxBacklog server outbox: notifications pending or being sent
 * @param dbRoundTripMs server database: the {@code SELECT 1} round trip
 */
public record HealthSample(Instant time, String component, Kind kind, @Nullable Long agentId, HealthStatus status,
                           String reason, Duration interval, @Nullable Double latencyMs, @Nullable Double cpu,
                           @Nullable Long memoryBytes, @Nullable Long errorCount, @Nullable Long spoolDepth,
                           @Nullable Long outboxBacklog, @Nullable Double dbRoundTripMs) {

    /** What reports: an agent (through its heartbeat) or a part of a server. */
    public enum Kind {
        AGENT, SERVER;

        /** The stored name: {@code agent}, {@code server}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The longest interval a sample may claim: bounds how far back availability looks for coverage. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);

    public HealthSample {
        time = time.truncatedTo(java.time.temporal.ChronoUnit.MICROS); // what timestamptz keeps
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            interval = Duration.ofSeconds(1);
        } else if (interval.compareTo(MAX_INTERVAL) > 0) {
            interval = MAX_INTERVAL;
        }
        reason = status == HealthStatus.HEALTHY ? "" : reason;
    }
}

package io.vigil.server.agent;

import io.micronaut.context.annotation.Value;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether each agent is alive, from its last heartbeat (or, for an agent that never sent one,
 * its last batch): silent when nothing arrived for {@code vigil.agents.silence-threshold}
 * (default 2 minutes, four missed heartbeats at the agent's default 30 s).
 *
 * <p>Stable API for other packages (the alerting core's "agent silent" absence rule uses
 * {@link #list(Instant)} and {@link #silenceThreshold()}); the same facts are in the
 * {@code agents} table ({@code last_heartbeat_at}, {@code last_seen_at}, {@code revoked_at}).
 */
@Singleton
public class AgentLiveness {

    private final AgentRepository repository;
    private final Duration threshold;

    AgentLiveness(AgentRepository repository,
                  @Value("${vigil.agents.silence-threshold:2m}") Duration threshold) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("vigil.agents.silence-threshold must be positive, got " + threshold);
        }
        this.repository = repository;
        this.threshold = threshold;
    }

    /** How long an agent may stay quiet before it counts as silent. */
    public Duration silenceThreshold() {
        return threshold;
    }

    /** Every agent that is not revoked, by name, with its status at {@code now}. */
    public List<AgentState> list(Instant now) {
        return DatabaseFailures.unlessUnavailable(repository::listActive).stream()
                .map(a -> AgentState.of(a, now, threshold)).toList();
    }
}

package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent and whether it is alive at a given instant.
 *
 * @param agent         the stored row, with its last heartbeat's details
 * @param status        {@link Status#UP}, {@link Status#SILENT} or {@link Status#NEVER_SEEN}
 * @param lastContactAt the later of its last heartbeat and its last batch; {@code null}: never
 * @param silentSince   when it was last heard from, if it is {@link Status#SILENT}; else {@code null}
 * @param heartbeatAge  time since its last heartbeat; {@code null} if it never sent one
 */
public record AgentState(Agent agent, Status status, @Nullable Instant lastContactAt, @Nullable Instant silentSince,
                         @Nullable Duration heartbeatAge) {

    /** Whether an agent is alive. */
    public enum Status {
        /** Heard from within the silence threshold. */
        UP,
        /** Heard from before, but not within the silence threshold. */
        SILENT,
        /** Registered, never heard from. */
        NEVER_SEEN
    }

    static AgentState of(Agent a, Instant now, Duration threshold) {
        Instant contact = later(a.lastHeartbeatAt(), a.lastSeenAt());
        Status status = contact == null ? Status.NEVER_SEEN
                : contact.isBefore(now.minus(threshold)) ? Status.SILENT : Status.UP;
        Duration age = a.lastHeartbeatAt() == null ? null : Duration.between(a.lastHeartbeatAt(), now);
        return new AgentState(a, status, contact, status == Status.SILENT ? contact : null, age);
    }

    private static @Nullable Instant later(@Nullable Instant x, @Nullable Instant y) {
        if (x == null) {
            return y;
        }
        return y == null || x.isAfter(y) ? x : y;
    }
}

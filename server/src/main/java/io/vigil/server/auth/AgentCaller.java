package io.vigil.server.auth;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * An agent, identified by its token.
 *
 * @param id         agents.id
 * @param name       agents.name
 * @param lastSeenAt when it last shipped a batch, {@code null} if never
 * @param version    the agent version it last reported, if any
 */
public record AgentCaller(long id, String name, @Nullable Instant lastSeenAt, @Nullable String version)
        implements Caller {

    @Override
    public Role role() {
        return Role.AGENT;
    }

    @Override
    public String displayName() {
        return name;
    }
}

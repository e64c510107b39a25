package io.vigil.server.agent;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * On start-up, makes the token in {@code vigil.agents.bootstrap-token} (env
 * {@code VIGIL_AGENT_TOKEN}) valid for the agent {@code vigil.agents.bootstrap-name}
 * (default {@code default}), so a single-host install needs no registration call.
 */
@Singleton
class AgentBootstrap {

    private final AgentRegistry registry;
    private final @Nullable String token;
    private final String name;

    AgentBootstrap(AgentRegistry registry,
                   @Nullable @Value("${vigil.agents.bootstrap-token:}") String token,
                   @Value("${vigil.agents.bootstrap-name:default}") String name) {
        this.registry = registry;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.name = name.strip();
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (token == null) {
            return;
        }
        if (!AgentRegistry.NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("vigil.agents.bootstrap-name '" + name + "' is not a valid agent "
                    + "name: use letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        registry.ensure(name, token);
    }
}

package io.vigil.server.auth;

import java.util.Optional;

/**
 * Finds the agent a token hash belongs to. Implemented where agents are stored
 * ({@code io.vigil.server.agent}), so authentication does not depend on that package.
 */
public interface AgentTokenLookup {

    /**
     * @param tokenHash {@link TokenHash#of(String)} of the presented token
     * @return the agent, or empty when no agent has this token
     */
    Optional<AgentCaller> findByTokenHash(String tokenHash);
}

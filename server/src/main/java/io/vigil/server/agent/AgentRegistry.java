package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import io.vigil.server.auth.AgentCaller;
import io.vigil.server.auth.AgentTokenLookup;
import io.vigil.server.auth.TokenHash;
import io.vigil.server.auth.TokenIssuer;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Registers agents, issues their tokens and answers "which agent is this token?". */
@Singleton
public class AgentRegistry implements AgentTokenLookup {

    /** How stale {@code agents.last_seen_at} may get before a batch updates it again. */
    public static final Duration SEEN_RESOLUTION = Duration.ofSeconds(30);
    /** Agent names: host-name-like words. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);
    private static final Pattern AGENT_USER_AGENT = Pattern.compile("vigil-agent/([A-Za-z0-9._+-]{1,64}).*");
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgentRepository repository;
    private final JsonMapper json;

    AgentRegistry(AgentRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    @Override
    public Optional<AgentCaller> findByTokenHash(String tokenHash) {
        return repository.findByTokenHashAndRevokedAtIsNull(tokenHash)
                .map(a -> new AgentCaller(Objects.requireNonNull(a.id()), a.name(), a.lastSeenAt(), a.version()));
    }

    /**
     * Creates an agent with a new random token.
     *
     * @return the agent and its token; the token is not stored and cannot be shown again
     * @throws AgentNameTakenException if an agent of that name exists
     */
    public RegisteredAgent register(String name) {
        String token = TokenIssuer.issue(TokenIssuer.AGENT_PREFIX);
        try {
            Agent saved = DatabaseFailures.unlessUnavailable(() -> repository.save(
                    Agent.create(name, TokenHash.of(token))));
            LOG.atInfo().addKeyValue("agent", name).setMessage("registered agent {}").addArgument(name).log();
            return new RegisteredAgent(Objects.requireNonNull(saved.id()), saved.name(), token, saved.createdAt());
        } catch (DataAccessException e) {
            if (DatabaseFailures.sqlState(e).filter(UNIQUE_VIOLATION::equals).isPresent()) {
                throw new AgentNameTakenException(name);
            }
            throw e;
        }
    }

    /**
     * Makes sure an agent named {@code name} exists and accepts {@code token}: creates it, or
     * replaces its token hash. Used for the bootstrap token given in configuration.
     */
    public void ensure(String name, String token) {
        String hash = TokenHash.of(token);
        Optional<Agent> owner = repository.findByTokenHash(hash);
        if (owner.isPresent()) {
            if (owner.get().revokedAt() != null) {
                LOG.warn("the bootstrap token (vigil.agents.bootstrap-token) belongs to agent '{}', which was revoked; "
                        + "it stays refused: configure a new token", owner.get().name());
            } else if (!owner.get().name().equals(name)) {
                LOG.warn("the bootstrap token already belongs to agent '{}'; not assigning it to '{}'",
                        owner.get().name(), name);
            }
            return;
        }
        Optional<Agent> existing = repository.findByNameAndRevokedAtIsNull(name);
        try {
            if (existing.isPresent()) {
                repository.updateTokenHash(Objects.requireNonNull(existing.get().id()), hash);
                LOG.info("bootstrap agent '{}': token replaced by the configured one", name);
            } else {
                repository.save(Agent.create(name, hash));
                LOG.info("bootstrap agent '{}' created with the configured token", name);
            }
        } catch (DataAccessException e) {
            if (DatabaseFailures.sqlState(e).filter(UNIQUE_VIOLATION::equals).isPresent()) {
                // another replica starting at the same moment did it first
                LOG.info("bootstrap agent '{}' was created concurrently", name);
                return;
            }
            throw e;
        }
    }

    /**
     * Records that {@code agent} just shipped a batch, in the caller's transaction. Writes only
     * when the stored time is older than {@link #SEEN_RESOLUTION} or the version changed, so a busy
     * agent costs one row update per window, not one per batch.
     *
     * @param userAgent the request's {@code User-Agent}; {@code vigil-agent/<version>} sets the version
     */
    public void markSeen(AgentCaller agent, @Nullable String userAgent) {
        String version = versionOf(userAgent);
        Instant staleBefore = Instant.now().minus(SEEN_RESOLUTION);
        boolean stale = agent.lastSeenAt() == null || agent.lastSeenAt().isBefore(staleBefore);
        boolean newVersion = version != null && !version.equals(agent.version());
        if (stale || newVersion) {
            repository.markSeen(agent.id(), version, staleBefore);
        }
    }

    static @Nullable String versionOf(@Nullable String userAgent) {
        if (userAgent == null) {
            return null;
        }
        var m = AGENT_USER_AGENT.matcher(userAgent.strip());
        return m.matches() ? m.group(1) : null;
    }

    /** Stores a heartbeat of {@code agent} (validated by the controller). */
    void recordHeartbeat(AgentCaller agent, HeartbeatController.HeartbeatRequest beat, Map<String, String> plugins) {
        String pluginsJson;
        try {
            pluginsJson = json.writeValueAsString(new TreeMap<>(plugins));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a map of strings always serialises
        }
        DatabaseFailures.unlessUnavailable(() -> repository.recordHeartbeat(agent.id(), beat.time(), beat.host(),
                beat.sessionId(), beat.version(), beat.spi(), pluginsJson, beat.monitors(), beat.spoolItems(),
                beat.spoolBytes()));
    }

    /** Revokes the agent's token; false when there is no such agent or it was already revoked. */
    public boolean revoke(long id, String by) {
        boolean done = DatabaseFailures.unlessUnavailable(() -> repository.revoke(id)) == 1;
        if (done) {
            LOG.atInfo().addKeyValue("agent_id", id).addKeyValue("by", by)
                    .setMessage("agent {} revoked by {}").addArgument(id).addArgument(by).log();
        }
        return done;
    }

    /**
     * A new agent with its token.
     *
     * @param id        agents.id
     * @param name      its name
     * @param token     the bearer token, shown once
     * @param createdAt when it was created
     */
    public record RegisteredAgent(long id, String name, String token, @Nullable Instant createdAt) {
    }
}

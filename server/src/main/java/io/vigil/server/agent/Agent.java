package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code agents}: an agent allowed to ship batches, and what its last heartbeat said.
 *
 * @param id              generated
 * @param name            unique among agents that are not revoked, chosen at registration
 * @param tokenHash       {@link io.vigil.server.auth.TokenHash} of its bearer token; the token is not stored
 * @param createdAt       set on insert
 * @param lastSeenAt      last accepted batch (updated at most every {@link AgentRegistry#SEEN_RESOLUTION})
 * @param version         agent version, from its {@code User-Agent} or its last heartbeat
 * @param labels          free-form labels (not set by anything yet)
 * @param lastHeartbeatAt server time of its last heartbeat; {@code null}: never
 * @param heartbeatSentAt the agent's own clock in that heartbeat
 * @param host            host name from the last heartbeat
 * @param sessionId       the agent process's session id from the last heartbeat (changes on restart)
 * @param spiVersion      vigil-api version the agent runs
 * @param plugins         plugin id to version, from the last heartbeat
 * @param monitors        monitors configured, from the last heartbeat
 * @param spoolItems      items waiting in the agent's spool at the last heartbeat
 * @param spoolBytes      bytes in the agent's spool at the last heartbeat
 * @param revokedAt       when its token was revoked; a revoked agent is refused
 */
@MappedEntity("agents")
public record Agent(@Id @GeneratedValue @Nullable Long id,
                    String name,
                    String tokenHash,
                    @DateCreated @Nullable Instant createdAt,
                    @Nullable Instant lastSeenAt,
                    @Nullable String version,
                    @TypeDef(type = DataType.JSON) Map<String, String> labels,
                    @Nullable Instant lastHeartbeatAt,
                    @Nullable Instant heartbeatSentAt,
                    @Nullable String host,
                    @Nullable String sessionId,
                    @Nullable String spiVersion,
                    @TypeDef(type = DataType.JSON) Map<String, String> plugins,
                    @Nullable Integer monitors,
                    @Nullable Long spoolItems,
                    @Nullable Long spoolBytes,
                    @Nullable Instant revokedAt) {

    /** A new agent, about to be inserted. */
    static Agent create(String name, String tokenHash) {
        return new Agent(null, name, tokenHash, null, null, null, Map.of(), null, null, null, null, null, Map.of(),
                null, null, null, null);
    }
}

package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored agents. Joins the caller's transaction when there is one. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AgentRepository extends CrudRepository<Agent, Long> {

    /** Any agent holding this token hash, revoked or not (the hash is unique). */
    Optional<Agent> findByTokenHash(String tokenHash);

    Optional<Agent> findByTokenHashAndRevokedAtIsNull(String tokenHash);

    Optional<Agent> findByNameAndRevokedAtIsNull(String name);

    @Query("SELECT * FROM agents WHERE revoked_at IS NULL ORDER BY name")
    List<Agent> listActive();

    /**
     * Records that the agent shipped a batch. The condition makes concurrent batches of one agent
     * write the row once per resolution window instead of once each.
     */
    @Query("""
            UPDATE agents SET last_seen_at = now(), version = COALESCE(:version, version)
             WHERE id = :id
               AND (last_seen_at IS NULL OR last_seen_at < :staleBefore
                    OR version IS DISTINCT FROM COALESCE(:version, version))""")
    long markSeen(long id, @Nullable String version, Instant staleBefore);

    /** Stores a heartbeat: the server's clock as last_heartbeat_at, the rest as the agent reported it. */
    @Query("""
            UPDATE agents SET last_heartbeat_at = now(), heartbeat_sent_at = :sentAt, host = :host,
                   session_id = :sessionId, version = COALESCE(:version, version), spi_version = :spiVersion,
                   plugins = CAST(:pluginsJson AS jsonb), monitors = :monitors, spool_items = :spoolItems,
                   spool_bytes = :spoolBytes
             WHERE id = :id""")
    long recordHeartbeat(long id, @Nullable Instant sentAt, @Nullable String host, @Nullable String sessionId,
                         @Nullable String version, @Nullable String spiVersion, String pluginsJson,
                         @Nullable Integer monitors, @Nullable Long spoolItems, @Nullable Long spoolBytes);

    @Query("UPDATE agents SET token_hash = :tokenHash WHERE id = :id")
    long updateTokenHash(long id, String tokenHash);

    @Query("UPDATE agents SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    long revoke(long id);
}

package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Optional;

/** Stored agents. Joins the caller's transaction when there is one. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AgentRepository extends CrudRepository<Agent, Long> {

    Optional<Agent> findByTokenHash(String tokenHash);

    Optional<Agent> findByName(String name);

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

    @Query("UPDATE agents SET token_hash = :tokenHash WHERE id = :id")
    long updateTokenHash(long id, String tokenHash);
}

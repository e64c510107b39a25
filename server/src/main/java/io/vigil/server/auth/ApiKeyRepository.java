package io.vigil.server.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored API keys. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApiKeyRepository extends CrudRepository<ApiKey, Long> {

    Optional<ApiKey> findByTokenHashAndRevokedAtIsNull(String tokenHash);

    @Query("SELECT * FROM api_keys ORDER BY id")
    List<ApiKey> listAll();

    @Query("UPDATE api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    long revoke(long id);

    @Query("""
            UPDATE api_keys SET last_used_at = now()
             WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :staleBefore)""")
    long markUsed(long id, Instant staleBefore);
}

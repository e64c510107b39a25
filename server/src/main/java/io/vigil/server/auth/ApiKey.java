package io.vigil.server.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code api_keys}: a bearer token for a person or tool, with one role.
 *
 * @param id         generated
 * @param name       unique among keys that are not revoked
 * @param role       {@code viewer}, {@code operator} or {@code admin}
 * @param tokenHash  {@link TokenHash} of the token; the token itself is not stored
 * @param createdAt  set on insert
 * @param createdBy  {@link Caller#displayName()} of the admin who created it
 * @param lastUsedAt last request made with it (updated at most every {@link ApiKeys#USED_RESOLUTION})
 * @param revokedAt  when it was revoked; a revoked key is refused
 */
@MappedEntity("api_keys")
public record ApiKey(@Id @GeneratedValue @Nullable Long id,
                     String name,
                     String role,
                     String tokenHash,
                     @DateCreated @Nullable Instant createdAt,
                     String createdBy,
                     @Nullable Instant lastUsedAt,
                     @Nullable Instant revokedAt) {
}

package io.vigil.server.vault;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;

/**
 * One row of {@code secret_audit}: who did what to a secret. Never a value.
 *
 * @param action created, read, rotated, deleted, reencrypted, expiring_notified or expired_notified
 * @param actor  an API caller ({@code admin}, {@code key:<name>}), a channel ({@code channel:<name>}),
 *               {@code vault reencrypt} or {@code server}
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record AuditEntry(long id, Instant time, String secretName, String action, String actor,
                         @Nullable String detail) {
}

package io.vigil.server.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A vault secret without its value: what the API lists and what the audit is about.
 *
 * @param keyId              the key its current value is encrypted with
 * @param usageCount         how many times the server read it (exact)
 * @param previousValidUntil until when the value before the last rotation is still accepted; null
 *                           when there is none
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SecretMetadata(String name, String type, String keyId, Instant createdAt, String createdBy,
                             @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, long usageCount,
                             @Nullable Instant rotatedAt, @Nullable String rotatedBy,
                             @Nullable Instant previousValidUntil) {

    /** The columns {@link #read} expects. */
    static final String COLUMNS = "name, type, key_id, created_at, created_by, expires_at, last_used_at, usage_count, "
            + "rotated_at, rotated_by, previous_valid_until";

    static SecretMetadata read(ResultSet rs) throws SQLException {
        return new SecretMetadata(rs.getString("name"), rs.getString("type"), rs.getString("key_id"),
                instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), rs.getLong("usage_count"), instant(rs, "rotated_at"),
                rs.getString("rotated_by"), instant(rs, "previous_valid_until"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

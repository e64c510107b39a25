package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A validated event about to be stored.
 *
 * @param attributesJson the attributes object, already serialised as JSON text
 */
public record NewEvent(UUID id, Instant time, @Nullable String host, @Nullable String agent,
                       @Nullable String monitor, @Nullable String plugin, String type, Severity severity,
                       String subject, String title, String attributesJson, @Nullable String fingerprint,
                       @Nullable String traceId, @Nullable String sessionId) {
}

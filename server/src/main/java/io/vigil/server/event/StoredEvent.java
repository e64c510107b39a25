package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A row of {@code events}, as read by the query API (inserts go through {@link EventWriter}). */
public record StoredEvent(UUID id,
                          Instant time,
                          Instant receivedAt,
                          @Nullable Long agentId,
                          @Nullable String host,
                          @Nullable String agent,
                          @Nullable String monitor,
                          @Nullable String plugin,
                          String type,
                          short severity,
                          String subject,
                          String title,
                          Map<String, Object> attributes,
                          @Nullable String fingerprint,
                          @Nullable String traceId,
                          @Nullable String sessionId) {
}

package io.vigil.server.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An event as the API shows it (the events and timeline endpoints): the wire format plus what the server added. */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventView(UUID id, Instant time, Instant receivedAt, @Nullable Long agentId, @Nullable String host,
                        @Nullable String agent, @Nullable String monitor, @Nullable String plugin, String type,
                        String severity, String subject, String title, Map<String, Object> attributes,
                        @Nullable String fingerprint, @Nullable String traceId, @Nullable String sessionId) {

    public static EventView of(StoredEvent e) {
        return new EventView(e.id(), e.time(), e.receivedAt(), e.agentId(), e.host(), e.agent(), e.monitor(),
                e.plugin(), e.type(), Severity.fromCode(e.severity()).wireName(), e.subject(), e.title(),
                e.attributes(), e.fingerprint(), e.traceId(), e.sessionId());
    }
}

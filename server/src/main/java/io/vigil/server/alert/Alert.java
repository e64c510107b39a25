package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.Severity;

import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code alerts}: one occurrence of a rule's condition for one fingerprint, from its first
 * firing to its resolution. Repeats while it is open only raise {@link #count()} and
 * {@link #lastSeenAt()}.
 *
 * @param ruleKind        {@code event}, {@code metric} or {@code absence}
 * @param fingerprint     the rule's key for what is alerting (an event fingerprint, a series, an agent)
 * @param labels          what routes and silences match on (see docs/alerting.md, "Alert labels")
 * @param value           the measured value, for metric rules
 * @param escalationLevel the last escalation step notified, 0 when none
 */
public record Alert(long id, String ruleId, String ruleKind, String fingerprint, AlertState state, Severity severity,
                    String title, String message, Map<String, String> labels, int count, Instant firstSeenAt,
                    Instant lastSeenAt, @Nullable Double value, int escalationLevel,
                    @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy,
                    @Nullable Instant resolvedAt, @Nullable String resolvedBy, @Nullable String resolution) {

    public boolean isOpen() {
        return state != AlertState.RESOLVED;
    }
}

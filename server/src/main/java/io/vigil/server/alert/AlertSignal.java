package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a rule reports when its condition holds: "this fingerprint of this rule is alerting". The
 * {@link AlertService} turns it into a new alert, or counts it as a repeat of the open one.
 *
 * @param ruleKind  {@code event}, {@code metric} or {@code absence}
 * @param at        when it was observed (the event's time, the evaluation time)
 * @param value     the measured value (metric rules)
 * @param eventId   the event that matched (event rules), linked to the alert
 * @param eventTime that event's time (with the id, the key of a time-partitioned events table)
 */
public record AlertSignal(String ruleId, String ruleKind, String fingerprint, Severity severity, String title,
                          String message, Map<String, String> labels, Instant at, @Nullable Double value,
                          @Nullable UUID eventId, @Nullable Instant eventTime) {
}

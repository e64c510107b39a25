package io.vigil.server.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.alert.Alert;
import io.vigil.server.alert.AlertState;
import io.vigil.server.event.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one notification says, independent of the channel: stored as the outbox row's payload
 * (JSON) when the notification is decided, rendered by each channel when it is sent. It is also the
 * body of the generic webhook.
 *
 * @param kind            {@code firing}, {@code resolved}, {@code repeat} or {@code escalation}
 * @param status          {@code firing} while any alert in it fires, else {@code resolved}
 * @param severity        the highest severity among its (firing) alerts
 * @param title           one line: {@code [CRITICAL] oracle deviation 1.3% for BTC}
 * @param groupKey        stable for one group of alerts (PagerDuty's dedup_key)
 * @param groupLabels     the labels the group is formed by
 * @param escalationLevel the escalation step (1, 2, ...) for escalations, else 0
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record NotificationMessage(String kind, String status, String severity, String title, String groupKey,
                                  Map<String, String> groupLabels, int escalationLevel, List<Item> alerts,
                                  Instant createdAt) {

    /** One alert in a notification. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Item(long id, String rule, String status, String severity, String title, String message,
                       Map<String, String> labels, int count, Instant firstSeenAt, Instant lastSeenAt,
                       @Nullable Instant resolvedAt, @Nullable Double value) {

        static Item of(Alert a) {
            return new Item(a.id(), a.ruleId(), a.state() == AlertState.RESOLVED ? "resolved" : "firing",
                    a.severity().wireName(), a.title(), a.message(), a.labels(), a.count(), a.firstSeenAt(),
                    a.lastSeenAt(), a.resolvedAt(), a.value());
        }
    }

    /**
     * A notification about {@code alerts} (firing and resolved ones of one group).
     *
     * @param kind firing, resolved, repeat or escalation
     */
    public static NotificationMessage of(String kind, String groupKey, Map<String, String> groupLabels,
                                         List<Alert> alerts, int escalationLevel, Instant now) {
        List<Alert> firing = alerts.stream().filter(Alert::isOpen).toList();
        List<Alert> basis = firing.isEmpty() ? alerts : firing;
        Severity top = basis.stream().map(Alert::severity).max(Enum::compareTo).orElse(Severity.INFO);
        String status = firing.isEmpty() ? "resolved" : "firing";
        String what;
        if (alerts.size() == 1) {
            what = alerts.get(0).title();
        } else if (!groupLabels.isEmpty()) {
            what = groupLabels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        } else {
            what = basis.get(0).title() + " and " + (alerts.size() - 1) + " more";
        }
        String prefix;
        if (kind.equals("escalation")) {
            prefix = "[ESCALATION L" + escalationLevel + "] [" + top.wireName().toUpperCase(java.util.Locale.ROOT) + "] ";
        } else if (firing.isEmpty()) {
            prefix = alerts.size() == 1 ? "[RESOLVED] " : "[RESOLVED:" + alerts.size() + "] ";
        } else if (alerts.size() == 1) {
            prefix = "[" + top.wireName().toUpperCase(java.util.Locale.ROOT) + "] ";
        } else {
            prefix = "[FIRING:" + firing.size() + "] [" + top.wireName().toUpperCase(java.util.Locale.ROOT) + "] ";
        }
        String suffix = kind.equals("repeat") ? " (still firing)" : "";
        return new NotificationMessage(kind, status, top.wireName(), prefix + what + suffix, groupKey,
                Map.copyOf(groupLabels), escalationLevel, alerts.stream().map(Item::of).toList(), now);
    }
}

package io.vigil.server.notify.pagerduty;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.crypto.Secret;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.HttpDelivery;
import io.vigil.server.notify.NotificationMessage;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sends PagerDuty Events v2: {@code trigger} for firing, repeat and escalation notifications,
 * {@code resolve} when the group has resolved, both with {@code dedup_key} = the notification
 * group's key, so PagerDuty keeps one incident per group. PagerDuty answers 202.
 */
final class PagerDutyChannel implements Channel {

    static final int MAX_SUMMARY = 1024;

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Event(String routingKey, String eventAction, String dedupKey, @Nullable Payload payload) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Payload(String summary, String source, String severity, Instant timestamp, @Nullable String component,
                   @Nullable String group, @Nullable String className, Map<String, Object> customDetails) {
    }

    private final String name;
    private final PagerDutyConfig config;
    private final HttpDelivery http;
    private final JsonMapper json;

    PagerDutyChannel(String name, PagerDutyConfig config, HttpDelivery http, JsonMapper json) {
        this.name = name;
        this.config = config;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return PagerDutyChannelType.TYPE;
    }

    /** PagerDuty's four severities. */
    static String severity(String vigil) {
        return switch (vigil) {
            case "critical" -> "critical";
            case "high" -> "error";
            case "medium", "low" -> "warning";
            default -> "info";
        };
    }

    @Override
    public DeliveryResult send(long notificationId, NotificationMessage m) {
        Event event;
        String dedupKey = m.groupKey().length() > 255 ? m.groupKey().substring(0, 255) : m.groupKey();
        if (m.status().equals("resolved")) {
            event = new Event(config.routingKey().reveal(), "resolve", dedupKey, null);
        } else {
            NotificationMessage.Item first = m.alerts().get(0);
            String summary = m.title().length() > MAX_SUMMARY ? m.title().substring(0, MAX_SUMMARY) : m.title();
            event = new Event(config.routingKey().reveal(), "trigger", dedupKey, new Payload(summary, config.source(),
                    severity(m.severity()), m.createdAt(), first.labels().get("subject"), first.labels().get("host"),
                    first.rule(), Map.of("alerts", m.alerts(), "kind", m.kind(), "notification_id", notificationId)));
        }
        try {
            byte[] body = json.writeValueAsBytes(event);
            return http.post(config.url(), "application/json", body, Map.of(), secrets());
        } catch (IOException e) {
            return DeliveryResult.failed("cannot encode the PagerDuty event: " + e.getClass().getSimpleName(), null);
        }
    }

    @Override
    public List<Secret> secrets() {
        return List.of(config.routingKey());
    }

    @Override
    public String toString() {
        return "PagerDutyChannel[" + name + "]";
    }
}

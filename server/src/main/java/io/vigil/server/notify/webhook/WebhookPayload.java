package io.vigil.server.notify.webhook;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.notify.NotificationMessage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a webhook notification (version 1). {@code notification_id} is the same on every
 * retry of one notification: receivers use it to ignore a redelivery.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record WebhookPayload(int version, long notificationId, String kind, String status, String severity,
                             String title, String groupKey, Map<String, String> groupLabels, int escalationLevel,
                             List<NotificationMessage.Item> alerts, Instant createdAt) {

    public static WebhookPayload of(long notificationId, NotificationMessage m) {
        return new WebhookPayload(1, notificationId, m.kind(), m.status(), m.severity(), m.title(), m.groupKey(),
                m.groupLabels(), m.escalationLevel(), m.alerts(), m.createdAt());
    }
}

package io.vigil.server.notify.webhook;

import io.micronaut.json.JsonMapper;
import io.vigil.server.crypto.Secret;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.HttpDelivery;
import io.vigil.server.notify.NotificationMessage;
import io.vigil.server.notify.Signature;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * POSTs {@link WebhookPayload} as JSON with headers {@code X-Vigil-Timestamp} (unix seconds),
 * {@code X-Vigil-Signature: sha256=<hex>} ({@link Signature}), {@code X-Vigil-Delivery}
 * (the notification id) and {@code X-Vigil-Event} (firing, resolved, repeat, escalation). Any 2xx
 * is success.
 */
final class WebhookChannel implements Channel {

    static final String DELIVERY_HEADER = "X-Vigil-Delivery";
    static final String EVENT_HEADER = "X-Vigil-Event";

    private final String name;
    private final WebhookConfig config;
    private final HttpDelivery http;
    private final JsonMapper json;
    private final Clock clock;

    WebhookChannel(String name, WebhookConfig config, HttpDelivery http, JsonMapper json, Clock clock) {
        this.name = name;
        this.config = config;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return WebhookChannelType.TYPE;
    }

    @Override
    public DeliveryResult send(long notificationId, NotificationMessage message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(WebhookPayload.of(notificationId, message));
        } catch (IOException e) {
            return DeliveryResult.failed("cannot encode the webhook body: " + e.getMessage(), null);
        }
        long timestamp = clock.instant().getEpochSecond();
        return http.post(config.url(), "application/json", body, Map.of(
                Signature.TIMESTAMP_HEADER, Long.toString(timestamp),
                Signature.SIGNATURE_HEADER, Signature.sign(config.secret(), timestamp, body),
                DELIVERY_HEADER, Long.toString(notificationId),
                EVENT_HEADER, message.kind()), secrets());
    }

    @Override
    public List<Secret> secrets() {
        return List.of(config.secret());
    }

    @Override
    public String toString() {
        return "WebhookChannel[" + name + " " + HttpDelivery.origin(config.url()) + "]";
    }
}

package io.vigil.server.notify.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.server.crypto.Secret;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.HttpDelivery;
import io.vigil.server.notify.MessageText;
import io.vigil.server.notify.NotificationMessage;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Posts {@code {"text": ...}} (Slack mrkdwn) to an incoming webhook; Slack answers 200 {@code ok}. */
final class SlackChannel implements Channel {

    /** The body Slack's incoming webhooks take. */
    @Serdeable
    record SlackBody(String text, @Nullable String username, @Nullable String channel) {
    }

    private final String name;
    private final SlackConfig config;
    private final HttpDelivery http;
    private final JsonMapper json;

    SlackChannel(String name, SlackConfig config, HttpDelivery http, JsonMapper json) {
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
        return SlackChannelType.TYPE;
    }

    @Override
    public DeliveryResult send(long notificationId, NotificationMessage message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new SlackBody(MessageText.slack(message), config.username(), config.channel()));
        } catch (IOException e) {
            return DeliveryResult.failed("cannot encode the Slack message: " + e.getMessage(), null);
        }
        return http.post(URI.create(config.url().reveal().strip()), "application/json", body, Map.of(), secrets());
    }

    @Override
    public List<Secret> secrets() {
        return List.of(config.url());
    }

    @Override
    public String toString() {
        return "SlackChannel[" + name + "]";
    }
}

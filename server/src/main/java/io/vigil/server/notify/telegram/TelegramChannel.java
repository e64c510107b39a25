package io.vigil.server.notify.telegram;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.crypto.Secret;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.HttpDelivery;
import io.vigil.server.notify.MessageText;
import io.vigil.server.notify.NotificationMessage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls {@code <api_url>/bot<token>/sendMessage} with HTML text. Telegram answers
 * {@code {"ok": true, ...}}; on 429 its body says how long to wait
 * ({@code parameters.retry_after}), which is honoured.
 */
final class TelegramChannel implements Channel {

    /** Telegram's limit on a message's text. */
    static final int MAX_TEXT = 4096;

    @Serdeable(naming = SnakeCaseStrategy.class)
    record SendMessage(String chatId, String text, String parseMode, boolean disableWebPagePreview) {
    }

    private final String name;
    private final TelegramConfig config;
    private final HttpDelivery http;
    private final JsonMapper json;

    TelegramChannel(String name, TelegramConfig config, HttpDelivery http, JsonMapper json) {
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
        return TelegramChannelType.TYPE;
    }

    @Override
    public DeliveryResult send(long notificationId, NotificationMessage message) {
        String text = MessageText.telegramHtml(message);
        if (text.length() > MAX_TEXT) {
            text = MessageText.escape(message.title()) + "\n\n(" + message.alerts().size()
                    + " alerts; too long for one Telegram message, see the Vigil API)";
        }
        URI uri = URI.create(config.apiUrl() + "/bot" + config.botToken().reveal() + "/sendMessage");
        try {
            byte[] body = json.writeValueAsBytes(new SendMessage(config.chatId(), text, "HTML", true));
            HttpDelivery.Response r = http.exchange(uri, "application/json", body, Map.of());
            DeliveryResult result = HttpDelivery.classify(r, uri, secrets());
            if (r.status() == 429) {
                Duration wait = retryAfter(r.body());
                if (wait != null) {
                    return DeliveryResult.retry(result.error(), 429, wait);
                }
            }
            return result;
        } catch (IOException e) {
            return DeliveryResult.retry(http.describe(e, uri, secrets()), null, null);
        }
    }

    private @Nullable Duration retryAfter(String body) {
        try {
            Map<String, Object> answer = json.readValue(body, Argument.mapOf(String.class, Object.class));
            if (answer != null && answer.get("parameters") instanceof Map<?, ?> p && p.get("retry_after") instanceof Number n) {
                return Duration.ofSeconds(n.longValue());
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the Retry-After header, if any, is used
        }
        return null;
    }

    @Override
    public List<Secret> secrets() {
        return List.of(config.botToken());
    }

    @Override
    public String toString() {
        return "TelegramChannel[" + name + "]";
    }
}

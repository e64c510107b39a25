package io.vigil.server.notify.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelType;
import io.vigil.server.notify.HttpDelivery;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/** {@code type: webhook}: a signed JSON POST ({@link WebhookConfig}). */
@Singleton
final class WebhookChannelType implements ChannelType {

    static final String TYPE = "webhook";

    private final HttpDelivery http;
    private final JsonMapper json;
    private final Clock clock;

    WebhookChannelType(HttpDelivery http, JsonMapper json, @Named("alerting") Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return WebhookConfig.KEYS;
    }

    @Override
    public @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets) {
        WebhookConfig config = WebhookConfig.parse(node, secrets);
        return config == null ? null : new WebhookChannel(name, config, http, json, clock);
    }
}

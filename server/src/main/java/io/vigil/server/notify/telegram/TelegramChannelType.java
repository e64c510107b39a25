package io.vigil.server.notify.telegram;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelType;
import io.vigil.server.notify.HttpDelivery;
import jakarta.inject.Singleton;

import java.util.List;

/** {@code type: telegram}: a chat through a bot ({@link TelegramConfig}). */
@Singleton
final class TelegramChannelType implements ChannelType {

    static final String TYPE = "telegram";

    private final HttpDelivery http;
    private final JsonMapper json;

    TelegramChannelType(HttpDelivery http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return TelegramConfig.KEYS;
    }

    @Override
    public @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets) {
        TelegramConfig config = TelegramConfig.parse(node, secrets);
        return config == null ? null : new TelegramChannel(name, config, http, json);
    }
}

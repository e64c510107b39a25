package io.vigil.server.notify.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelType;
import io.vigil.server.notify.HttpDelivery;
import jakarta.inject.Singleton;

import java.util.List;

/** {@code type: slack}: a Slack incoming webhook ({@link SlackConfig}). */
@Singleton
final class SlackChannelType implements ChannelType {

    static final String TYPE = "slack";

    private final HttpDelivery http;
    private final JsonMapper json;

    SlackChannelType(HttpDelivery http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return SlackConfig.KEYS;
    }

    @Override
    public @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets) {
        SlackConfig config = SlackConfig.parse(node, secrets);
        return config == null ? null : new SlackChannel(name, config, http, json);
    }
}

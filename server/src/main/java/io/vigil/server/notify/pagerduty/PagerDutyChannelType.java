package io.vigil.server.notify.pagerduty;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelType;
import io.vigil.server.notify.HttpDelivery;
import jakarta.inject.Singleton;

import java.util.List;

/** {@code type: pagerduty}: Events API v2 ({@link PagerDutyConfig}). */
@Singleton
final class PagerDutyChannelType implements ChannelType {

    static final String TYPE = "pagerduty";

    private final HttpDelivery http;
    private final JsonMapper json;

    PagerDutyChannelType(HttpDelivery http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return PagerDutyConfig.KEYS;
    }

    @Override
    public @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets) {
        PagerDutyConfig config = PagerDutyConfig.parse(node, secrets);
        return config == null ? null : new PagerDutyChannel(name, config, http, json);
    }
}

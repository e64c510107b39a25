package io.vigil.server.notify.email;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelType;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/** {@code type: email}: SMTP ({@link EmailConfig}); its timeouts are {@code vigil.notify.http-timeout}. */
@Singleton
final class EmailChannelType implements ChannelType {

    static final String TYPE = "email";

    private final Duration timeout;

    EmailChannelType(@Value("${vigil.notify.http-timeout:10s}") Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return EmailConfig.KEYS;
    }

    @Override
    public @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets) {
        EmailConfig config = EmailConfig.parse(node, secrets);
        return config == null ? null : new EmailChannel(name, config, timeout);
    }
}

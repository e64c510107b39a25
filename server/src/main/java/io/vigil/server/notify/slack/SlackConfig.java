package io.vigil.server.notify.slack;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;

import java.net.URI;
import java.util.List;

/**
 * A Slack incoming webhook. The webhook URL is a credential (anyone holding it can post to the
 * channel), so it is a secret: {@code url: enc:v1:...} or {@code ${env:SLACK_WEBHOOK_URL}}.
 *
 * <pre>
 * - name: ops-slack
 *   type: slack
 *   url: ${env:SLACK_WEBHOOK_URL}     # https://hooks.slack.com/services/T000/B000/XXXX
 *   username: vigil                   # optional
 *   channel: "#ops"                   # optional, for webhooks allowed to override it
 * </pre>
 */
public record SlackConfig(Secret url, @Nullable String username, @Nullable String channel) {

    static final List<String> KEYS = List.of("url", "username", "channel");

    static @Nullable SlackConfig parse(ConfigNode node, SecretValues secrets) {
        Secret url = secrets.required(node.get("url"));
        if (url != null && !isHttpUrl(url.reveal())) {
            node.get("url").problem("the decrypted value is not an http(s) URL (value not shown)");
            url = null;
        }
        String username = node.get("username").text();
        String channel = node.get("channel").text();
        return url == null ? null : new SlackConfig(url, username, channel);
    }

    static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s.strip());
            return (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https")))
                    && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

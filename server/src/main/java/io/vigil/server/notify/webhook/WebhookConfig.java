package io.vigil.server.notify.webhook;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;

import java.net.URI;
import java.util.List;

/**
 * A generic webhook: the notification as JSON, signed with HMAC-SHA256 (docs/alerting.md shows how a
 * receiver verifies it).
 *
 * <pre>
 * - name: oncall-hook
 *   type: webhook
 *   url: https://hooks.example.com/vigil
 *   secret: enc:v1:...            # the HMAC key shared with the receiver
 * </pre>
 */
public record WebhookConfig(URI url, Secret secret) {

    static final List<String> KEYS = List.of("url", "secret");

    static @Nullable WebhookConfig parse(ConfigNode node, SecretValues secrets) {
        String url = node.get("url").requiredText();
        URI uri = null;
        if (url != null) {
            try {
                uri = URI.create(url.strip());
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                        || uri.getHost() == null) {
                    node.get("url").problem("expected an http(s) URL like https://hooks.example.com/vigil, got \"" + url + "\"");
                    uri = null;
                }
            } catch (IllegalArgumentException e) {
                node.get("url").problem("not a URL: " + e.getMessage());
            }
        }
        Secret secret = secrets.required(node.get("secret"));
        return uri == null || secret == null ? null : new WebhookConfig(uri, secret);
    }
}

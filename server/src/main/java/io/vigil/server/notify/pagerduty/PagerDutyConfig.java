package io.vigil.server.notify.pagerduty;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;

import java.net.URI;
import java.util.List;

/**
 * A PagerDuty service, through Events API v2.
 *
 * <pre>
 * - name: pagerduty
 *   type: pagerduty
 *   routing_key: enc:v1:...       # the service's integration key (Events API v2)
 *   url: https://events.pagerduty.com/v2/enqueue   # default
 *   source: vigil-prod            # default "vigil"
 * </pre>
 */
public record PagerDutyConfig(Secret routingKey, URI url, String source) {

    static final List<String> KEYS = List.of("routing_key", "url", "source");
    static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

    static @Nullable PagerDutyConfig parse(ConfigNode node, SecretValues secrets) {
        Secret key = secrets.required(node.get("routing_key"));
        String url = node.get("url").text();
        URI uri = null;
        try {
            uri = URI.create(url == null ? DEFAULT_URL : url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                node.get("url").problem("expected an http(s) URL like " + DEFAULT_URL);
                uri = null;
            }
        } catch (IllegalArgumentException e) {
            node.get("url").problem("not a URL: " + e.getMessage());
        }
        String source = node.get("source").text();
        return key == null || uri == null ? null : new PagerDutyConfig(key, uri, source == null ? "vigil" : source);
    }
}

package io.vigil.server.crypto;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a secret from a configuration value. Three forms are accepted, none of which puts the
 * plain secret into the configuration file:
 * <ul>
 *   <li>{@code enc:v1:...}: encrypted with the server's key ({@link SecretBox});</li>
 *   <li>{@code ${env:NAME}}: the environment variable NAME;</li>
 *   <li>{@code ${file:/path}}: the content of a file (trailing newline removed), e.g. a mounted secret.</li>
 * </ul>
 * A plain value is refused. Problems never quote the value.
 */
public final class SecretValues {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final SecretKeys keys;
    private final Map<String, String> environment;

    public SecretValues(SecretKeys keys, Map<String, String> environment) {
        this.keys = keys;
        this.environment = environment;
    }

    /** A required secret; absent or unusable is a problem on the node and the result is {@code null}. */
    public @Nullable Secret required(ConfigNode node) {
        if (!node.isPresent()) {
            node.problem("required (a secret: enc:v1:..., ${env:NAME} or ${file:/path})");
            return null;
        }
        return optional(node);
    }

    /** An optional secret: {@code null} when absent; unusable is a problem. */
    public @Nullable Secret optional(ConfigNode node) {
        if (!node.isPresent()) {
            return null;
        }
        String value = node.isScalar() ? String.valueOf(node.scalar()) : null;
        if (value == null) {
            node.problem("expected a secret value (enc:v1:..., ${env:NAME} or ${file:/path})");
            return null;
        }
        value = value.strip();
        if (value.startsWith(SecretBox.PREFIX)) {
            if (keys.box().isEmpty()) {
                node.problem("is encrypted but this server has no secret key: " + SecretKeys.howToConfigure());
                return null;
            }
            try {
                return keys.box().get().decrypt(value);
            } catch (IllegalArgumentException e) {
                node.problem(e.getMessage());
                return null;
            }
        }
        Matcher m = REFERENCE.matcher(value);
        if (m.matches()) {
            String name = m.group(2).strip();
            if (m.group(1).equals("env")) {
                String v = environment.get(name);
                if (v == null || v.isEmpty()) {
                    node.problem("the environment variable " + name + " is not set or empty");
                    return null;
                }
                return new Secret(v);
            }
            try {
                String v = Files.readString(Path.of(name), StandardCharsets.UTF_8).stripTrailing();
                if (v.isEmpty()) {
                    node.problem("the secret file " + name + " is empty");
                    return null;
                }
                return new Secret(v);
            } catch (IOException e) {
                node.problem("cannot read the secret file " + name + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        node.problem("a secret must not be written in plain text: store it encrypted (enc:v1:..., made with "
                + "POST /api/v1/secrets/encrypt or io.vigil.server.crypto.EncryptSecret) or reference it as "
                + "${env:NAME} or ${file:/path}");
        return null;
    }
}

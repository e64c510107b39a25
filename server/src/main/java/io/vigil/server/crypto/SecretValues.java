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
 * Reads a secret from a configuration value. These forms are accepted, none of which puts the
 * plain secret into the configuration file:
 * <ul>
 *   <li>{@code ${vault:name}}: the vault secret {@code name}, read at each use (rotation needs no
 *       reload; uses are counted and audited under the caller, see {@link #forCaller});</li>
 *   <li>{@code enc:v2:<kid>:...}: encrypted with one of the server's keys ({@link Keyring}, context
 *       {@value Keyring#CONFIG_CONTEXT}), and the older {@code enc:v1:...} ({@link SecretBox});</li>
 *   <li>{@code ${env:NAME}}: the environment variable NAME;</li>
 *   <li>{@code ${file:/path}}: the content of a file (trailing newline removed), e.g. a mounted secret.</li>
 * </ul>
 * A plain value is refused. Problems never quote the value.
 */
public final class SecretValues {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file|vault):([^}]+)}");
    private static final String FORMS = "${vault:NAME}, enc:v2:..., ${env:NAME} or ${file:/path}";

    private final Keyring keys;
    private final NamedSecrets vault;
    private final Map<String, String> environment;
    private final String caller;

    /**
     * @param keys        decrypts {@code enc:} values
     * @param vault       resolves {@code ${vault:name}}
     * @param environment resolves {@code ${env:NAME}}
     */
    public SecretValues(Keyring keys, NamedSecrets vault, Map<String, String> environment) {
        this(keys, vault, environment, "config");
    }

    private SecretValues(Keyring keys, NamedSecrets vault, Map<String, String> environment, String caller) {
        this.keys = keys;
        this.vault = vault;
        this.environment = environment;
        this.caller = caller;
    }

    /** The same reader, with vault uses counted and audited under {@code caller} (e.g. {@code channel:ops}). */
    public SecretValues forCaller(String caller) {
        return new SecretValues(keys, vault, environment, caller);
    }

    /** A required secret; absent or unusable is a problem on the node and the result is {@code null}. */
    public @Nullable Secret required(ConfigNode node) {
        if (!node.isPresent()) {
            node.problem("required (a secret: " + FORMS + ")");
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
            node.problem("expected a secret value (" + FORMS + ")");
            return null;
        }
        value = value.strip();
        if (Keyring.isEncrypted(value)) {
            try {
                return keys.decrypt(Keyring.CONFIG_CONTEXT, value);
            } catch (IllegalArgumentException e) {
                node.problem(e.getMessage());
                return null;
            }
        }
        Matcher m = REFERENCE.matcher(value);
        if (m.matches()) {
            String name = m.group(2).strip();
            if (m.group(1).equals("vault")) {
                boolean exists;
                try {
                    exists = vault.exists(name);
                } catch (RuntimeException e) {
                    node.problem("cannot look up the vault secret \"" + name + "\" (" + e.getClass().getSimpleName()
                            + "): is the database reachable?");
                    return null;
                }
                if (!exists) {
                    node.problem("there is no vault secret \"" + name + "\": create it first with "
                            + "POST /api/v1/secrets {\"name\": \"" + name + "\", \"type\": ..., \"value\": ...}");
                    return null;
                }
                return vault.atUse(name, caller);
            }
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
        node.problem("a secret must not be written in plain text: store it in the vault and reference it as "
                + "${vault:NAME}, encrypt it (enc:v2:..., made with POST /api/v1/secrets/encrypt or "
                + "io.vigil.server.crypto.EncryptSecret), or reference it as ${env:NAME} or ${file:/path}");
        return null;
    }
}

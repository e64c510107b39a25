package io.vigil.server.crypto;

import io.micronaut.core.annotation.Nullable;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's encryption keys, each with a key id: one active key that encrypts, and older keys
 * that still decrypt what was encrypted before a key rotation (until {@code vault reencrypt} moved
 * it to the active key). Loaded by {@link KeyringLoader}; the server does not start without one.
 *
 * <p>Values are {@code enc:v2:<kid>:<base64url(nonce[12] || ciphertext || tag[16])>}, AES-256-GCM
 * with the associated data {@code vigil-secret-v2 \n kid \n context}: the context names what the
 * value is (a vault secret's name, or {@link #CONFIG_CONTEXT} for a value written into a
 * configuration file), so a ciphertext copied to another secret's row does not decrypt.
 *
 * <p>{@code enc:v1:} values ({@link SecretBox}, no key id, no context) decrypt with the key
 * configured the old way, which the keyring holds as key id {@value #LEGACY_KEY_ID}.
 */
public final class Keyring {

    /** Prefix of a value with a key id. */
    public static final String PREFIX = "enc:v2:";
    /** The key id of the key configured the old way ({@code vigil.notify.secret-key}). */
    public static final String LEGACY_KEY_ID = "legacy";
    /** The context of values written into configuration files (the routing file). */
    public static final String CONFIG_CONTEXT = "config";
    /** What a key id may be: it is part of every value, so no ':' and nothing long. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final @Nullable SecretBox legacy;

    /**
     * @param activeKeyId the id of the key that encrypts; one of {@code keys}
     * @param keys        every key by id (32 bytes each), the active one included
     * @param legacy      the key configured the old way, for {@code enc:v1:} values; may be null
     */
    public Keyring(String activeKeyId, Map<String, byte[]> keys, @Nullable SecretBox legacy) {
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("\"" + id + "\" is not a key id: 1 to 64 letters, digits, '.', "
                        + "'_' or '-', starting with a letter or digit");
            }
            specs.put(id, SecretBox.aesKey(key));
        });
        if (legacy != null) {
            specs.putIfAbsent(LEGACY_KEY_ID, legacy.key());
        }
        if (!specs.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key id \"" + activeKeyId + "\" has no key");
        }
        this.activeKeyId = activeKeyId;
        this.keys = Collections.unmodifiableMap(specs);
        this.legacy = legacy;
    }

    /** The id of the key new values are encrypted with. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** Every key id this server can decrypt with, the active one first. */
    public Set<String> keyIds() {
        Set<String> ids = new java.util.LinkedHashSet<>();
        ids.add(activeKeyId);
        ids.addAll(keys.keySet());
        return ids;
    }

    /** Whether {@code value} is an encrypted value of either format. */
    public static boolean isEncrypted(String value) {
        return value.startsWith(PREFIX) || value.startsWith(SecretBox.PREFIX);
    }

    /**
     * The key id of an encrypted value ({@value #LEGACY_KEY_ID} for {@code enc:v1:}).
     *
     * @throws IllegalArgumentException when it is not an encrypted value
     */
    public static String keyId(String stored) {
        if (stored.startsWith(SecretBox.PREFIX)) {
            return LEGACY_KEY_ID;
        }
        if (stored.startsWith(PREFIX)) {
            int colon = stored.indexOf(':', PREFIX.length());
            if (colon > PREFIX.length()) {
                return stored.substring(PREFIX.length(), colon);
            }
        }
        throw new IllegalArgumentException("not an encrypted value (expected " + PREFIX + "<key id>:...)");
    }

    /** {@code plaintext} encrypted with the active key for {@code context}: {@code enc:v2:<kid>:...}. */
    public String encrypt(String context, String plaintext) {
        byte[] sealed = SecretBox.seal(keys.get(activeKeyId), aad(activeKeyId, context),
                plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + activeKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * The plaintext of an encrypted value made for {@code context}.
     *
     * @throws IllegalArgumentException when it is not an encrypted value, its key id is unknown here
     *                                  (the message names it), or it does not decrypt (another key
     *                                  under the same id, another context, altered); messages never
     *                                  contain the value or a key
     */
    public Secret decrypt(String context, String stored) {
        if (stored.startsWith(SecretBox.PREFIX)) {
            if (legacy == null) {
                throw new IllegalArgumentException("the value is in the old format enc:v1:, which needs the key "
                        + "configured the old way (vigil.notify.secret-key, env VIGIL_SECRET_KEY, or "
                        + "vigil.notify.secret-key-file): configure it again, or encrypt the value anew");
            }
            return legacy.decrypt(stored);
        }
        String kid = keyId(stored);
        SecretKeySpec key = keys.get(kid);
        if (key == null) {
            throw new IllegalArgumentException("the value was encrypted with key id \"" + kid + "\", which this "
                    + "server does not have (it has " + String.join(", ", keyIds()) + "): add that key to the vault "
                    + "key file as an older key, or store the value again");
        }
        String body = stored.substring(PREFIX.length() + kid.length() + 1);
        return SecretBox.open(key, aad(kid, context), body).map(Secret::new).orElseThrow(() ->
                new IllegalArgumentException("the value does not decrypt with key \"" + kid + "\" for " + context
                        + ": it was made with another key under that id, for another secret, or altered"));
    }

    private static byte[] aad(String kid, String context) {
        return ("vigil-secret-v2\n" + kid + "\n" + context).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Keyring[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
    }
}

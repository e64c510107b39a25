package io.vigil.server.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets at rest with AES-256-GCM. The stored form is
 * {@code enc:v1:<base64url(nonce[12] || ciphertext || tag[16])>}: a random 96-bit nonce per value,
 * a 128-bit tag, and the fixed associated data {@code vigil-secret-v1}, so a value only decrypts with
 * the key it was made with and any change to it is detected.
 *
 * <p>This is the legacy format, without a key id: the server still decrypts it with the key
 * configured the old way ({@code vigil.notify.secret-key}, env {@code VIGIL_SECRET_KEY}, or
 * {@code vigil.notify.secret-key-file}), which the {@link Keyring} knows as key id
 * {@value Keyring#LEGACY_KEY_ID}. New values are {@code enc:v2:} ({@link Keyring}).
 */
public final class SecretBox {

    /** Prefix of an encrypted value. */
    public static final String PREFIX = "enc:v1:";

    private static final byte[] AAD = "vigil-secret-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param key 32 bytes */
    public SecretBox(byte[] key) {
        this.key = aesKey(key);
    }

    /** A new random key, base64 (what {@code VIGIL_SECRET_KEY} takes). */
    public static String newKeyBase64() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** {@code plaintext} encrypted, as {@code enc:v1:...}. */
    public String encrypt(String plaintext) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                seal(key, AAD, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code nonce[12] || ciphertext || tag[16]} of {@code plain} under {@code key}, bound to {@code aad}. */
    static byte[] seal(SecretKeySpec key, byte[] aad, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /**
     * The plaintext of {@code raw} ({@link #seal}'s output, base64url text), or empty when it does not
     * decrypt with {@code key} and {@code aad} (another key, other associated data, altered).
     *
     * @throws IllegalArgumentException when {@code base64url} is not base64url or too short
     */
    static java.util.Optional<String> open(SecretKeySpec key, byte[] aad, String base64url) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(base64url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encrypted value is not valid base64url");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("the encrypted value is too short to be one");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return java.util.Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            return java.util.Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** The AES key of 32 bytes. */
    static SecretKeySpec aesKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (256 bits), got " + key.length);
        }
        return new SecretKeySpec(key.clone(), "AES");
    }

    /** This box's key, for a {@link Keyring} that decrypts {@code enc:v1:} values with it. */
    SecretKeySpec key() {
        return key;
    }

    /**
     * The plaintext of an {@code enc:v1:...} value.
     *
     * @throws IllegalArgumentException when it is not such a value, was made with another key or was
     *                                  altered; the message never contains the value
     */
    public Secret decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted value (expected " + PREFIX + "...)");
        }
        return open(key, AAD, stored.substring(PREFIX.length())).map(Secret::new).orElseThrow(() ->
                new IllegalArgumentException("the encrypted value does not decrypt with this server's key "
                        + "(made with another key, or altered): encrypt it again with the current key"));
    }
}

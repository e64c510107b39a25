package io.vigil.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stored form of a bearer token: lower-case hex SHA-256 of its UTF-8 bytes.
 *
 * <p>A fast unsalted hash is deliberate. Tokens are not passwords: generated ones carry 32 random
 * bytes (256 bits), so neither brute force nor precomputed tables can find one from its hash, and
 * a slow KDF would only add latency to every request. Agents are found by an index lookup on the
 * hash; the timing of that lookup can at most reveal something about the hash, never the token.
 */
public final class TokenHash {

    private TokenHash() {
    }

    /** The hex SHA-256 of {@code token}. */
    public static String of(String token) {
        return HexFormat.of().formatHex(digest(token));
    }

    /**
     * Compares two secrets in time independent of where they differ (and of their lengths, since
     * both sides are hashed to 32 bytes first).
     */
    public static boolean sameSecret(String presented, String expected) {
        return MessageDigest.isEqual(digest(presented), digest(expected));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}

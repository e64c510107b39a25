package io.vigil.server.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes new bearer tokens: a recognisable prefix and 32 random bytes in base64url. The prefix lets
 * secret scanners and people tell the kind apart ({@value #AGENT_PREFIX} for agents,
 * {@value #KEY_PREFIX} for API keys) and lets the filter look in the right table first.
 */
public final class TokenIssuer {

    /** Prefix of generated agent tokens. */
    public static final String AGENT_PREFIX = "vigil_";
    /** Prefix of generated API keys. */
    public static final String KEY_PREFIX = "vigil_key_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenIssuer() {
    }

    /** A new token: {@code prefix} followed by 43 characters of base64url (256 random bits). */
    public static String issue(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

package io.vigil.server.notify;

import io.vigil.server.crypto.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * HMAC-SHA256 request signing, as receivers verify it (docs/alerting.md has a verification
 * snippet): {@code X-Vigil-Timestamp: <unix seconds>} and
 * {@code X-Vigil-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>}. Signing
 * the timestamp with the body lets a receiver refuse replays of old requests.
 */
public final class Signature {

    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";

    private Signature() {
    }

    /** {@code sha256=<hex>} over {@code timestamp + "." + body}. */
    public static String sign(Secret key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}

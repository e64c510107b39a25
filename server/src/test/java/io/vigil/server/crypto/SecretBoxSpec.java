package io.vigil.server.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxSpec {

    private final SecretBox box = new SecretBox("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void encryptsWithAFreshNonceAndDecryptsBack() {
        String a = box.encrypt("bot-token-123");
        String b = box.encrypt("bot-token-123");
        assertTrue(a.startsWith("enc:v1:"));
        assertNotEquals(a, b);
        assertFalse(a.contains("bot-token"));
        assertEquals("bot-token-123", box.decrypt(a).reveal());
    }

    @Test
    void anAlteredValueOrAnotherKeyIsRefusedWithoutShowingTheValue() {
        String sealed = box.encrypt("hunter2");
        byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
        raw[raw.length - 1] ^= 1;
        String altered = SecretBox.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.decrypt(altered));
        assertEquals("the encrypted value does not decrypt with this server's key (made with another key, or altered): "
                + "encrypt it again with the current key", e.getMessage());

        SecretBox other = new SecretBox("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> other.decrypt(sealed));
    }

    @Test
    void aSecretPrintsMaskedAndIsRedactedFromText() {
        Secret s = new Secret("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX");
        assertEquals("***", s.toString());
        assertEquals("posted to *** failed: no_service for ***",
                Secret.redact("posted to " + s.reveal() + " failed: no_service for /services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
                        List.of(s)));
    }
}

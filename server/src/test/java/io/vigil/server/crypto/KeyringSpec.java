package io.vigil.server.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyringSpec {

    static final byte[] K1 = "key-one-for-the-keyring-spec-32b".getBytes(StandardCharsets.US_ASCII);
    static final byte[] K2 = "key-two-for-the-keyring-spec-32b".getBytes(StandardCharsets.US_ASCII);
    static final String K1_B64 = Base64.getEncoder().encodeToString(K1);
    static final String K2_B64 = Base64.getEncoder().encodeToString(K2);

    private static Keyring ring(String active, Map<String, byte[]> keys) {
        return new Keyring(active, keys, null);
    }

    private static KeyringLoader.Settings file(Path f) {
        return new KeyringLoader.Settings(f.toString(), null, null, null, null);
    }

    private static Path keyFile(String text, String mode) throws IOException {
        Path dir = Files.createTempDirectory("vigil-keyring-spec-");
        Path f = dir.resolve("vault.key");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void encryptsWithTheActiveKeyIdAndDecryptsRoundTrip() {
        Keyring keys = ring("k1", Map.of("k1", K1));

        String sealed = keys.encrypt("secret:ops", "xoxb-round-trip");

        assertTrue(sealed.startsWith("enc:v2:k1:"), sealed);
        assertFalse(sealed.contains("xoxb"));
        assertNotEquals(sealed, keys.encrypt("secret:ops", "xoxb-round-trip"), "a fresh nonce each time");
        assertEquals("xoxb-round-trip", keys.decrypt("secret:ops", sealed).reveal());
        assertEquals("k1", Keyring.keyId(sealed));
    }

    @Test
    void aValueUnderAnotherKeyWithTheSameIdIsRefusedWithAClearError() {
        String sealed = ring("k1", Map.of("k1", K1)).encrypt("secret:ops", "xoxb-wrong-key");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ring("k1", Map.of("k1", K2)).decrypt("secret:ops", sealed));

        assertEquals("the value does not decrypt with key \"k1\" for secret:ops: it was made with another key under "
                + "that id, for another secret, or altered", e.getMessage());
    }

    @Test
    void aValueUnderAnUnknownKeyIdNamesThatKeyId() {
        String sealed = ring("old", Map.of("old", K1)).encrypt("secret:ops", "xoxb-unknown-kid");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ring("k2", Map.of("k2", K2)).decrypt("secret:ops", sealed));

        assertTrue(e.getMessage().startsWith("the value was encrypted with key id \"old\", which this server does not "
                + "have (it has k2)"), e.getMessage());
    }

    @Test
    void aCiphertextCopiedToAnotherSecretDoesNotDecrypt() {
        Keyring keys = ring("k1", Map.of("k1", K1));
        String sealed = keys.encrypt("secret:slack", "xoxb-aad");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> keys.decrypt("secret:smtp", sealed));

        assertTrue(e.getMessage().contains("for secret:smtp"), e.getMessage());
        assertFalse(e.getMessage().contains("xoxb"));
    }

    @Test
    void olderKeysStillDecryptWhileTheActiveKeyEncrypts() {
        String underOld = ring("k1", Map.of("k1", K1)).encrypt("config", "old-value");
        Keyring rotated = ring("k2", new java.util.LinkedHashMap<>(Map.of("k2", K2, "k1", K1)));

        assertEquals("old-value", rotated.decrypt("config", underOld).reveal());
        assertTrue(rotated.encrypt("config", "new").startsWith("enc:v2:k2:"));
    }

    @Test
    void legacyEncV1ValuesDecryptWithTheKeyConfiguredTheOldWay() {
        SecretBox legacy = new SecretBox(K1);
        String v1 = legacy.encrypt("pd-routing-key");
        Keyring keys = KeyringLoader.load(new KeyringLoader.Settings(null, "k2:" + K2_B64, null, K1_B64, null));

        assertEquals("k2", keys.activeKeyId());
        assertEquals("pd-routing-key", keys.decrypt(Keyring.CONFIG_CONTEXT, v1).reveal());
        assertEquals(Keyring.LEGACY_KEY_ID, Keyring.keyId(v1));
    }

    @Test
    void theLegacyKeyAloneIsTheActiveKeySoAnUpgradedServerStillStarts() {
        Keyring keys = KeyringLoader.load(new KeyringLoader.Settings(null, null, null, K1_B64, null));

        assertEquals(Keyring.LEGACY_KEY_ID, keys.activeKeyId());
        assertTrue(keys.encrypt("config", "x").startsWith("enc:v2:legacy:"));
    }

    @Test
    void withoutAnyKeyLoadingFailsSayingHowToCreateOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KeyringLoader.load(new KeyringLoader.Settings(null, " ", null, null, null)));

        assertEquals(KeyringLoader.NO_KEY, e.getMessage());
        assertTrue(e.getMessage().contains("head -c 32 /dev/urandom | base64"));
        assertTrue(e.getMessage().contains("VIGIL_VAULT_KEY_FILE=/etc/vigil/vault.key"));
        assertTrue(e.getMessage().contains("VIGIL_VAULT_KEY=k1:"));
    }

    @Test
    void theKeyFileFirstLineIsActiveTheOthersStillDecrypt() throws IOException {
        Path f = keyFile("# rotated 2026-11-27\nk2:" + K2_B64 + "\n\nk1:" + K1_B64 + "\n", "rw-------");

        Keyring keys = KeyringLoader.load(file(f));

        assertEquals("k2", keys.activeKeyId());
        assertEquals(java.util.Set.of("k1", "k2"), keys.keyIds());
    }

    @Test
    void aKeyFileReadableByOthersIsRefused() throws IOException {
        Path f = keyFile("k1:" + K1_B64 + "\n", "rw-r--r--");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyringLoader.load(file(f)));

        assertEquals("the vault key file " + f + " is open to group or others (rw-r--r--): make it readable only by "
                + "the user the server runs as: chmod 600 " + f, e.getMessage());
    }

    @Test
    void aMalformedKeyLineNamesFileAndLineButNotTheKey() throws IOException {
        Path f = keyFile("k1:" + K1_B64 + "\nk2:" + K2_B64.substring(4) + "\n", "rw-------");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyringLoader.load(file(f)));

        assertTrue(e.getMessage().startsWith(f + ":2 (key \"k2\") decodes to"), e.getMessage());
        assertFalse(e.getMessage().contains(K2_B64.substring(4)));
    }

    @Test
    void environmentKeysTakeTheActiveKeyAndOlderKeys() {
        Keyring keys = KeyringLoader.load(new KeyringLoader.Settings(null, "k2:" + K2_B64, "k1:" + K1_B64, null, null));

        assertEquals("k2", keys.activeKeyId());
        assertEquals("v", keys.decrypt("c", ring("k1", Map.of("k1", K1)).encrypt("c", "v")).reveal());
    }

    @Test
    void aKeyFileAndAnInlineKeyTogetherAreRefused() throws IOException {
        Path f = keyFile("k1:" + K1_B64 + "\n", "rw-------");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyringLoader.load(
                new KeyringLoader.Settings(f.toString(), "k2:" + K2_B64, null, null, null)));

        assertTrue(e.getMessage().startsWith("both vigil.vault.key-file"), e.getMessage());
    }
}

package io.vigil.server.crypto;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The key of the {@link SecretBox}: {@code vigil.notify.secret-key} (env {@code VIGIL_SECRET_KEY}),
 * base64 of 32 bytes, or {@code vigil.notify.secret-key-file}, a file holding that base64 text or
 * the 32 raw bytes. Without either there is no box, and any encrypted value in the configuration is
 * reported as a configuration problem saying how to set one.
 */
@Factory
class SecretKeyFactory {

    /** How to make and set a key, for error messages. */
    static final String HOW_TO = "set VIGIL_SECRET_KEY (vigil.notify.secret-key) to the base64 of 32 random bytes "
            + "(openssl rand -base64 32) or point vigil.notify.secret-key-file at a file holding it";

    @Singleton
    SecretKeys keys(@Nullable @Value("${vigil.notify.secret-key:}") String key,
                    @Nullable @Value("${vigil.notify.secret-key-file:}") String keyFile) {
        if (key != null && !key.isBlank()) {
            return new SecretKeys(Optional.of(new SecretBox(decode(key.strip(), "vigil.notify.secret-key"))));
        }
        if (keyFile != null && !keyFile.isBlank()) {
            Path file = Path.of(keyFile.strip());
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the secret key file " + file + " ("
                        + e.getClass().getSimpleName() + "): check vigil.notify.secret-key-file and its permissions");
            }
            if (bytes.length == 32) {
                return new SecretKeys(Optional.of(new SecretBox(bytes)));
            }
            return new SecretKeys(Optional.of(new SecretBox(decode(new String(bytes, StandardCharsets.US_ASCII).strip(),
                    "the secret key file " + file))));
        }
        return new SecretKeys(Optional.empty());
    }

    private static byte[] decode(String base64, String where) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64: " + HOW_TO);
        }
        if (k.length != 32) {
            throw new IllegalStateException(where + " decodes to " + k.length + " bytes, not 32: " + HOW_TO);
        }
        return k;
    }
}

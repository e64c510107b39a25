package io.vigil.server.crypto;

import java.util.Optional;

/**
 * The server's {@link SecretBox}, if a key is configured.
 *
 * @param box the box; empty when neither {@code vigil.notify.secret-key} nor
 *            {@code vigil.notify.secret-key-file} is set
 */
public record SecretKeys(Optional<SecretBox> box) {

    /** What to do when a secret must be encrypted or decrypted and there is no key. */
    public static String howToConfigure() {
        return SecretKeyFactory.HOW_TO;
    }
}

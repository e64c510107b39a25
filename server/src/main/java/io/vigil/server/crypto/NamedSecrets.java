package io.vigil.server.crypto;

/**
 * Secrets stored by name (the server's vault, {@code io.vigil.server.vault}), as configuration
 * refers to them with {@code ${vault:<name>}}. An interface here so that reading configuration does
 * not depend on how the vault stores them.
 */
public interface NamedSecrets {

    /** Whether a secret of this name exists now. */
    boolean exists(String name);

    /**
     * A handle on the secret {@code name} that reads its current value at each
     * {@link Secret#reveal()}: a rotation takes effect at the next use without any reload, and every
     * use is counted and audited under {@code caller} (e.g. {@code channel:ops-slack}).
     */
    Secret atUse(String name, String caller);
}

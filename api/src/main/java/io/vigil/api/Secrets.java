package io.vigil.api;

/**
 * Resolves credentials that must not be written into configuration files.
 *
 * <p>A reference is {@code env:NAME} (an environment variable of the agent process) or
 * {@code file:/path} (the file's content without its trailing newline, which suits files mounted
 * by systemd credentials, Docker or Kubernetes secrets). Options declared
 * {@linkplain OptionSpec#secret() secret} are resolved by the agent before the monitor sees them;
 * this interface is for the rare plugin that must look one up itself. Thread-safe.
 */
public interface Secrets {

    /**
     * The secret's value.
     *
     * @throws IllegalArgumentException when the reference is malformed, the variable is unset or
     *                                  the file is unreadable; the message names the reference,
     *                                  never the value
     */
    String resolve(String reference);
}

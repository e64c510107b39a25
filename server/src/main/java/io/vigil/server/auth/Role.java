package io.vigil.server.auth;

/**
 * Who may call a route. A later issue adds users with roles; each new kind of caller becomes a
 * role here and a {@link Caller} implementation.
 */
public enum Role {
    /** An agent shipping batches with its own token. Cannot read anything. */
    AGENT,
    /** The operator, holding {@code vigil.auth.admin-token}: reads events, registers agents. */
    ADMIN
}

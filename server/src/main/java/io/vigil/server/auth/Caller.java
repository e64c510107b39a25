package io.vigil.server.auth;

/**
 * Who sent the request, as established by {@link BearerAuthFilter} from the bearer token. A
 * controller receives it with {@code @RequestAttribute(Caller.ATTRIBUTE) Caller caller} (for
 * example to record who acknowledged an alert: {@link #displayName()}).
 */
public sealed interface Caller permits AgentCaller, AdminCaller, ApiKeyCaller {

    /** Request attribute under which the filter stores the caller. */
    String ATTRIBUTE = "vigil.caller";

    /** The role this caller has. */
    Role role();

    /**
     * A name fit for logs and audit columns ({@code admin}, {@code key:<name>}, or an agent's
     * name); never a token.
     */
    String displayName();

    /** Whether this caller may do what {@code required} allows (see {@link Role#grants}). */
    default boolean has(Role required) {
        return role().grants(required);
    }
}

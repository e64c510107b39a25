package io.vigil.server.auth;

/**
 * Who sent the request, as established by {@link BearerAuthFilter} from the bearer token. A
 * controller receives it with {@code @RequestAttribute(Caller.ATTRIBUTE)}.
 */
public sealed interface Caller permits AgentCaller, AdminCaller {

    /** Request attribute under which the filter stores the caller. */
    String ATTRIBUTE = "vigil.caller";

    /** The role this caller has. */
    Role role();

    /** A name fit for logs (an agent's name, or {@code admin}); never a token. */
    String displayName();
}

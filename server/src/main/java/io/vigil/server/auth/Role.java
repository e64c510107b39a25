package io.vigil.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Who may call a route ({@link Access}). Agents are a kind of their own; people and tools hold API
 * keys with one of three ordered roles, each including the ones below it:
 *
 * <pre>
 *   ADMIN    manages agents and API keys; everything OPERATOR may do
 *   OPERATOR acts on alerts (acknowledge, resolve, silence); everything VIEWER may do
 *   VIEWER   reads: events, metrics, statistics, dashboard, agents
 *   AGENT    ships batches and heartbeats with its own token; reads nothing
 * </pre>
 *
 * The bootstrap admin token ({@code vigil.auth.admin-token}) has {@link #ADMIN}.
 */
public enum Role {
    /** An agent shipping batches and heartbeats with its own token. Cannot read anything. */
    AGENT,
    /** Reads events, metrics, statistics, the dashboard and the agent list. */
    VIEWER,
    /** A viewer who may also act on alerts (acknowledge, resolve, silence). */
    OPERATOR,
    /** An operator who may also manage agents and API keys. */
    ADMIN;

    /** The lower-case name used in JSON and configuration: {@code "operator"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a caller with this role may use a route that requires {@code required}: the same role,
     * or for people a higher one. An agent token never passes for a person's role, nor the reverse.
     */
    public boolean grants(Role required) {
        if (this == AGENT || required == AGENT) {
            return this == required;
        }
        return ordinal() >= required.ordinal();
    }

    /** The role of an API key by its wire name ({@code viewer}, {@code operator}, {@code admin}). */
    public static Optional<Role> ofKeyRole(String wireName) {
        for (Role r : values()) {
            if (r != AGENT && r.wireName().equals(wireName)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}

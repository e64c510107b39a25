package io.vigil.server.auth;

/** The bootstrap administrator, holding the configured admin token ({@code vigil.auth.admin-token}). */
public record AdminCaller() implements Caller {

    @Override
    public Role role() {
        return Role.ADMIN;
    }

    @Override
    public String displayName() {
        return "admin";
    }
}

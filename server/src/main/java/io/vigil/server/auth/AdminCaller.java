package io.vigil.server.auth;

/** The operator, holding the configured admin token. */
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

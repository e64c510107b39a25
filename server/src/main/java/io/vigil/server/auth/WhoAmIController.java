package io.vigil.server.auth;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code GET /api/v1/whoami}: the caller's name and role, so that a client (the web dashboard) can
 * hide what the role may not do. The server still checks every action itself.
 */
@Controller("/api/v1/whoami")
@Access(Role.VIEWER)
class WhoAmIController {

    @Get(produces = MediaType.APPLICATION_JSON)
    Identity whoami(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return new Identity(caller.displayName(), caller.role().wireName());
    }

    /** @param name {@link Caller#displayName()} @param role viewer, operator or admin */
    @Serdeable
    record Identity(String name, String role) {
    }
}

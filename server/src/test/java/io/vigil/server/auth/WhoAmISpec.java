package io.vigil.server.auth;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code GET /api/v1/whoami}: who the token belongs to and its role, for clients that adapt to it. */
@MicronautTest(transactional = false)
class WhoAmISpec extends ServerSpec {

    @Test
    void theAdminTokenIsTheAdmin() {
        Response r = get("/api/v1/whoami", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        assertEquals("{\"name\":\"admin\",\"role\":\"admin\"}", r.body());
    }

    @Test
    void anApiKeyIsNamedWithItsRole() {
        String token = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\":\"pager\",\"role\":\"operator\"}")
                .json().get("token").asText();

        assertEquals("{\"name\":\"key:pager\",\"role\":\"operator\"}", get("/api/v1/whoami", token).body());
    }

    @Test
    void withoutATokenItIs401AndAnAgentTokenIs403() {
        assertEquals(401, get("/api/v1/whoami", null).status());
        assertEquals(403, get("/api/v1/whoami", AGENT_TOKEN).status());
    }
}

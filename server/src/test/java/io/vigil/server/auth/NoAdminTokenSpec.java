package io.vigil.server.auth;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A server started without vigil.auth.admin-token. */
@MicronautTest(transactional = false)
class NoAdminTokenSpec extends ServerSpec {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.auth.admin-token", "");
        return p;
    }

    @Test
    void readApiWithoutTokenIs401SayingHowToBootstrapAnAdminToken() {
        Response r = get("/api/v1/events", null);

        assertEquals(401, r.status(), r.body());
        assertEquals("missing bearer token, and no admin token is configured on this server: send an API key as "
                + "'Authorization: Bearer <token>', or set vigil.auth.admin-token (environment variable "
                + "VIGIL_ADMIN_TOKEN) on the server to bootstrap one", r.json().get("detail").asText());
    }

    @Test
    void anyPresentedTokenStillCannotRead() {
        assertEquals(401, get("/api/v1/events", ADMIN_TOKEN).status());
        assertEquals(401, get("/api/v1/events", "").status());
        assertEquals(403, get("/api/v1/events", AGENT_TOKEN).status());
    }

    @Test
    void ingestStillWorks() {
        assertEquals(200, ingest(events(event(Map.of()))).status());
    }
}

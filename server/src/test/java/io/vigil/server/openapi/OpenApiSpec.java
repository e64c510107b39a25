package io.vigil.server.openapi;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class OpenApiSpec extends ServerSpec {

    @Test
    void theGeneratedSpecIsServedWithoutAToken() {
        Response r = get("/openapi.yml", null);

        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/yaml"), r.header("Content-Type"));
        assertTrue(r.body().startsWith("openapi: 3."), r.body().substring(0, 40));
        for (String path : new String[] {"/api/v1/ingest:", "/api/v1/events:", "/api/v1/metrics/query:",
                "/api/v1/metrics/trend:", "/api/v1/stats/events:", "/api/v1/dashboard:", "/api/v1/heartbeat:",
                "/api/v1/api-keys:"}) {
            assertTrue(r.body().contains("\n  " + path), path + " missing");
        }
    }
}

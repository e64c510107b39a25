package io.vigil.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ApiKeySpec extends ServerSpec {

    @Test
    void createdKeyIsShownOnceStoredHashedAndWorksForItsRole() throws Exception {
        Response created = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"grafana\", \"role\": \"viewer\"}");

        assertEquals(201, created.status(), created.body());
        String token = created.json().get("token").asText();
        assertTrue(token.startsWith("vigil_key_") && token.length() == 53, token);
        assertEquals("viewer", created.json().get("role").asText());
        assertEquals("admin", created.json().get("created_by").asText());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(hash, queryOne("SELECT token_hash FROM api_keys WHERE name = 'grafana'").get("token_hash"));
        assertEquals(0, count("SELECT count(*) FROM api_keys WHERE row_to_json(api_keys)::text LIKE ?", "%" + token + "%"));
        assertEquals(200, get("/api/v1/events", token).status());
        Response listed = get("/api/v1/api-keys", ADMIN_TOKEN);
        assertFalse(listed.body().contains(token), listed.body());
        JsonNode key = null;
        for (JsonNode k : listed.json().get("keys")) {
            if (k.get("name").asText().equals("grafana")) {
                key = k;
            }
        }
        assertTrue(key != null, listed.body());
        assertTrue(key.get("last_used_at").isTextual(), key.toString());
        assertTrue(key.get("revoked_at").isNull(), key.toString());
    }

    @Test
    void anAdminKeyManagesKeysAndAgentsLikeTheAdminToken() {
        String admin = key("ops-admin", "admin");

        Response created = postJson("/api/v1/api-keys", admin, "{\"name\": \"alice\", \"role\": \"operator\"}");

        assertEquals(201, created.status(), created.body());
        assertEquals("key:ops-admin", created.json().get("created_by").asText());
        assertEquals(201, postJson("/api/v1/agents", admin, "{\"name\": \"by-key-1\"}").status());
    }

    @Test
    void revokedKeyIsRefused401() {
        Response created = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"temp\", \"role\": \"viewer\"}");
        String token = created.json().get("token").asText();

        Response revoked = send(request("/api/v1/api-keys/" + created.json().get("id").asLong(), ADMIN_TOKEN).DELETE());

        assertEquals(204, revoked.status(), revoked.body());
        assertEquals(401, get("/api/v1/events", token).status());
        assertTrue(queryOne("SELECT revoked_at FROM api_keys WHERE name = 'temp'").get("revoked_at") != null);
    }

    @Test
    void invalidNameOrRoleIs400NamingBoth() {
        Response r = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"a b\", \"role\": \"root\"}");

        assertEquals(400, r.status(), r.body());
        assertEquals("name must be 1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit; "
                + "role must be one of viewer, operator, admin, got \"root\", e.g. {\"name\": \"grafana\", \"role\": \"viewer\"}",
                r.json().get("detail").asText());
    }

    @Test
    void aTakenKeyNameIs409() {
        key("twice", "viewer");

        Response again = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"twice\", \"role\": \"viewer\"}");

        assertEquals(409, again.status(), again.body());
    }

    private String key(String name, String role) {
        Response r = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.json().get("token").asText();
    }
}

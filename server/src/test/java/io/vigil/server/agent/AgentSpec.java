package io.vigil.server.agent;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AgentSpec extends ServerSpec {

    @Test
    void registeringAnAgentReturnsATokenThatCanIngest() {
        Response created = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"web-1\"}");

        assertEquals(201, created.status(), created.body());
        assertEquals("web-1", created.json().get("name").asText());
        String token = created.json().get("token").asText();
        assertTrue(token.startsWith("vigil_") && token.length() >= 40, token);
        Response ingested = postJson("/api/v1/ingest", token, events(event(Map.of())));
        assertEquals(200, ingested.status(), ingested.body());
        assertEquals("web-1", queryOne("SELECT a.name FROM events e JOIN agents a ON a.id = e.agent_id "
                + "ORDER BY e.received_at DESC LIMIT 1").get("name"));
    }

    @Test
    void tokenIsStoredHashedNotPlain() throws Exception {
        Response created = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"hashed-1\"}");
        String token = created.json().get("token").asText();

        String expectedHash = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expectedHash, queryOne("SELECT token_hash FROM agents WHERE name = 'hashed-1'").get("token_hash"));
        assertEquals(0, count("SELECT count(*) FROM agents WHERE row_to_json(agents)::text LIKE ?",
                "%" + token + "%"));
        assertEquals(0, count("SELECT count(*) FROM agents WHERE row_to_json(agents)::text LIKE ?",
                "%" + AGENT_TOKEN + "%"));
    }

    @Test
    void bootstrapTokenIsUpsertedOnStart() {
        Map<String, Object> agent = queryOne("SELECT token_hash FROM agents WHERE name = ?", AGENT_NAME);

        assertEquals(sha256(AGENT_TOKEN), agent.get("token_hash"));
    }

    @Test
    void registeringATakenNameIs409() {
        assertEquals(201, postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"twice\"}").status());

        Response again = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"twice\"}");

        assertEquals(409, again.status(), again.body());
        assertEquals("an agent named 'twice' already exists; choose another name", again.json().get("error").asText());
        assertFalse(again.body().contains("token\""), again.body());
    }

    @Test
    void invalidNameIs400() {
        for (String body : List.of("{\"name\": \"\"}", "{\"name\": \"web 1\"}", "{}")) {
            Response r = postJson("/api/v1/agents", ADMIN_TOKEN, body);
            assertEquals(400, r.status(), body + " -> " + r.body());
        }
    }

    @Test
    void agentTokenCannotRegisterAgents403() {
        Response r = postJson("/api/v1/agents", AGENT_TOKEN, "{\"name\": \"sneaky\"}");

        assertEquals(403, r.status(), r.body());
        assertEquals(0, count("SELECT count(*) FROM agents WHERE name = 'sneaky'"));
    }

    @Test
    void revokedAgentIsRefused401KeepsItsEventsAndFreesItsName() {
        Response created = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"leaving-1\"}");
        String token = created.json().get("token").asText();
        long id = created.json().get("id").asLong();
        assertEquals(200, postJson("/api/v1/ingest", token, events(event(Map.of()))).status());

        Response revoked = send(request("/api/v1/agents/" + id, ADMIN_TOKEN).DELETE());

        assertEquals(204, revoked.status(), revoked.body());
        assertEquals(401, postJson("/api/v1/ingest", token, events(event(Map.of()))).status());
        assertEquals(1, count("SELECT count(*) FROM events WHERE agent_id = ?", id));
        assertEquals(404, send(request("/api/v1/agents/" + id, ADMIN_TOKEN).DELETE()).status());
        assertEquals(201, postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"leaving-1\"}").status());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

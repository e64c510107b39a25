package io.vigil.server.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class RuleApiSpec extends AlertingSpec {

    @Override
    protected String rules() {
        return """
                rules:
                  - id: from-file
                    event:
                      type: file.rule
                """;
    }

    private Response put(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void adminCreatesAnEventRuleThatFiresOnTheNextEvent() {
        Response created = postJson("/api/v1/rules", key("admin"), """
                {"id": "api-made", "event": {"type": "api.*", "attributes": {"load": {"gte": 2.5}}},
                 "severity": "high", "title": "load {{attributes.load}} on {{host}}"}""");
        assertEquals(201, created.status(), created.body());
        assertEquals("api", created.json().get("source").asText());
        assertEquals(false, created.json().get("read_only").asBoolean());

        assertEquals(200, ingest(events(eventNow(Map.of("type", "api.load", "severity", "info",
                "attributes", Map.of("load", 3.25))))).status());
        await("an alert of the API rule", Duration.ofSeconds(5), () -> !alertsOf("api-made").isEmpty());
        assertEquals("load 3.25 on web-1", alertsOf("api-made").get(0).get("title"));
        assertEquals(1L, count("SELECT count(*) FROM alert_rules WHERE id = 'api-made'"));
    }

    @Test
    void anInvalidRuleIsRefusedWithEveryProblem() {
        Response r = postJson("/api/v1/rules", key("admin"), """
                {"id": "Bad Id", "metric": {"name": "x.y", "op": "=>", "threshold": 1, "windw": "5m"}}""");
        assertEquals(400, r.status());
        assertEquals("invalid rule", r.json().get("error").asText());
        JsonNode items = r.json().get("items");
        String all = items.toString();
        assertTrue(all.contains("\"path\":\"id\""), all);
        assertTrue(all.contains("unknown key \\\"windw\\\"; did you mean \\\"window\\\"?"), all);
        assertTrue(all.contains("unknown comparison \\\"=>\\\": expected >, >=, < or <="), all);
        assertTrue(all.contains("required for a metric rule"), all);
    }

    @Test
    void rulesFromTheFileAreReadOnlyThroughTheApi() {
        Response r = put("/api/v1/rules/from-file", key("admin"), "{\"id\": \"from-file\", \"event\": {\"type\": \"x\"}}");
        assertEquals(409, r.status());
        assertEquals("rule \"from-file\" comes from " + rulesFile + ":2 and is read-only through the API: edit the file",
                r.json().get("error").asText());
        assertEquals(409, send(request("/api/v1/rules/from-file", key("admin")).DELETE()).status());
        Response taken = postJson("/api/v1/rules", key("admin"), "{\"id\": \"from-file\", \"event\": {\"type\": \"x\"}}");
        assertEquals(409, taken.status());
    }

    @Test
    void adminReplacesAndDeletesAnApiRule() {
        assertEquals(201, postJson("/api/v1/rules", key("admin"),
                "{\"id\": \"short-lived\", \"event\": {\"type\": \"a.b\"}}").status());
        Response replaced = put("/api/v1/rules/short-lived", key("admin"),
                "{\"id\": \"short-lived\", \"event\": {\"type\": \"a.c\"}, \"severity\": \"low\"}");
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals("a.c", replaced.json().get("definition").get("event").get("type").asText());

        assertEquals(204, send(request("/api/v1/rules/short-lived", key("admin")).DELETE()).status());
        assertEquals(404, get("/api/v1/rules/short-lived", key("viewer")).status());
    }

    @Test
    void viewersReadRulesAndOnlyAdminsChangeThem() {
        Response list = get("/api/v1/rules", key("viewer"));
        assertEquals(200, list.status());
        assertEquals("from-file", list.json().get("rules").get(0).get("id").asText());
        assertEquals("file", list.json().get("rules").get(0).get("source").asText());
        assertEquals(403, postJson("/api/v1/rules", key("operator"), "{\"id\": \"nope\", \"event\": {\"type\": \"x\"}}").status());
    }
}

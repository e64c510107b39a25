package io.vigil.server.auth;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may call what: one request per endpoint group, with each kind of wrong credential. */
@MicronautTest(transactional = false)
class AccessSpec extends ServerSpec {

    /** One request per group of endpoints, and the lowest role that may make it. */
    record Call(String method, String path, String body, Role role) {
    }

    static final List<Call> CALLS = List.of(
            new Call("POST", "/api/v1/ingest", "{\"events\": []}", Role.AGENT),
            new Call("POST", "/api/v1/heartbeat", "{}", Role.AGENT),
            new Call("GET", "/api/v1/events", null, Role.VIEWER),
            new Call("GET", "/api/v1/events/0190f5a2-0000-7000-8000-000000000000", null, Role.VIEWER),
            new Call("GET", "/api/v1/metrics/series?name=x.y", null, Role.VIEWER),
            new Call("GET", "/api/v1/metrics/query?name=x.y", null, Role.VIEWER),
            new Call("GET", "/api/v1/metrics/trend?name=x.y", null, Role.VIEWER),
            new Call("GET", "/api/v1/stats/events", null, Role.VIEWER),
            new Call("GET", "/api/v1/sessions", null, Role.VIEWER),
            new Call("GET", "/api/v1/timelines/trace/t-1", null, Role.VIEWER),
            new Call("GET", "/api/v1/timelines/session/s-1/stats", null, Role.VIEWER),
            new Call("GET", "/api/v1/timelines/subject/web-1", null, Role.VIEWER),
            new Call("GET", "/api/v1/dashboard", null, Role.VIEWER),
            new Call("GET", "/api/v1/agents", null, Role.VIEWER),
            new Call("POST", "/api/v1/agents", "{\"name\": \"x\"}", Role.ADMIN),
            new Call("DELETE", "/api/v1/agents/999999", null, Role.ADMIN),
            new Call("GET", "/api/v1/api-keys", null, Role.ADMIN),
            new Call("POST", "/api/v1/api-keys", "{}", Role.ADMIN),
            new Call("DELETE", "/api/v1/api-keys/999999", null, Role.ADMIN));

    String viewer;
    String operator;

    @BeforeAll
    void keys() {
        viewer = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"v\", \"role\": \"viewer\"}").json()
                .get("token").asText();
        operator = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"o\", \"role\": \"operator\"}").json()
                .get("token").asText();
    }

    @Test
    void everyEndpointGroupWithoutATokenIs401() {
        assertEveryCall(call -> 401, call -> null);
    }

    @Test
    void everyEndpointGroupWithAnUnknownTokenIs401() {
        assertEveryCall(call -> 401, call -> "vigil_key_not-a-key-anyone-was-given-000000000000");
    }

    @Test
    void everyEndpointGroupWithATokenOfTooLowOrOtherRoleIs403() {
        // agent routes: a person's key; viewer routes: an agent token; admin routes: an operator key
        assertEveryCall(call -> 403, call -> switch (call.role()) {
            case AGENT -> ADMIN_TOKEN;
            case VIEWER, OPERATOR -> AGENT_TOKEN;
            case ADMIN -> operator;
        });
    }

    @Test
    void higherRolesIncludeLowerOnes() {
        for (String token : List.of(viewer, operator, ADMIN_TOKEN)) {
            assertEquals(200, get("/api/v1/events", token).status());
        }
        Response refused = get("/api/v1/api-keys", viewer);
        assertEquals(403, refused.status());
        assertEquals("this endpoint requires role admin; key:v has role viewer", refused.json().get("detail").asText());
    }

    private void assertEveryCall(java.util.function.Function<Call, Integer> expected,
                                 java.util.function.Function<Call, String> token) {
        List<String> wrong = new ArrayList<>();
        for (Call call : CALLS) {
            HttpRequest.Builder b = request(call.path(), token.apply(call)).header("Content-Type", "application/json")
                    .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(call.body()));
            Response r = send(b);
            if (r.status() != expected.apply(call)) {
                wrong.add(call.method() + " " + call.path() + " -> " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), wrong);
    }
}

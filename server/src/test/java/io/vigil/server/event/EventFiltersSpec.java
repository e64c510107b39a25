package io.vigil.server.event;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each filter of GET /api/v1/events on one known set of events. */
@MicronautTest(transactional = false)
class EventFiltersSpec extends ServerSpec {

    @BeforeAll
    void storeKnownEvents() {
        clearStoredData();
        assertEquals(200, ingest(events(
                known("e1", "2026-11-27T10:00:01Z", "oracle.deviation", "high", "oracle", "h1", "a1", "BTC",
                        "BTC oracle deviation 2.1%", Map.of("asset", "BTC", "deviation_pct", 2.1), "t1", "s1"),
                known("e2", "2026-11-27T10:00:02Z", "oracle.deviation", "medium", "oracle", "h1", "a1", "ETH",
                        "ETH oracle deviation", Map.of("asset", "ETH", "deviation_pct", 0.4), "t1", "s1"),
                known("e3", "2026-11-27T10:00:03Z", "docker.container.died", "critical", "docker", "h2", "a2", "db-1",
                        "Container db-1 died", Map.of("exit_code", 137, "image", "postgres:16"), "t2", "s2"),
                known("e4", "2026-11-27T10:00:04Z", "docker.container.started", "info", "docker", "h2", "a2", "db-1",
                        "Container db-1 started", Map.of("image", "postgres:16"), "t3", "s2"),
                known("e5", "2026-11-27T10:00:05Z", "liquidation.cascade", "low", "liquidation", "h3", "a3", "BTC",
                        "Liquidation cascade 100%_off", Map.of("asset", "BTC", "pattern", "cascade"), "t4", "s3")))
                .status());
    }

    @Test
    void byHost() {
        assertEquals(List.of("e5", "e2", "e1"), titles("host=h1,h3"));
    }

    @Test
    void byReportedAgentName() {
        assertEquals(List.of("e4", "e3"), titles("agent=a2"));
    }

    @Test
    void bySubject() {
        assertEquals(List.of("e5", "e1"), titles("subject=BTC"));
    }

    @Test
    void bySeveritySet() {
        assertEquals(List.of("e5", "e3"), titles("severity=critical,low"));
    }

    @Test
    void bySeveritySetAndMinimumTogether() {
        assertEquals(List.of("e3"), titles("severity=critical,low&severity_min=medium"));
    }

    @Test
    void byTypePrefixOrExactType() {
        assertEquals(List.of("e4", "e3"), titles("type=docker.*"));
        assertEquals(List.of("e5", "e4", "e3"), titles("type=docker.*,liquidation.cascade"));
    }

    @Test
    void byTextAttribute() {
        assertEquals(List.of("e5", "e1"), titles("attr.asset=BTC"));
    }

    @Test
    void byNumericAttributeWrittenAsText() {
        assertEquals(List.of("e3"), titles("attr.exit_code=137"));
    }

    @Test
    void bySeveralAttributesAllOfWhichMustMatch() {
        assertEquals(List.of("e5"), titles("attr.asset=BTC&attr.pattern=cascade"));
    }

    @Test
    void byTitleTextCaseInsensitiveWithWildcardsTakenLiterally() {
        assertEquals(List.of("e3"), titles("q=DIED"));
        assertEquals(List.of("e5"), titles("q=" + encode("100%_")));
        assertEquals(List.of(), titles("q=" + encode("1_0")));
    }

    @Test
    void byTraceAndSession() {
        assertEquals(List.of("e2", "e1"), titles("trace_id=t1"));
        assertEquals(List.of("e4", "e3"), titles("session_id=s2"));
    }

    @Test
    void oldestFirstWithOrderAscAcrossPages() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/api/v1/events?order=asc&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    ADMIN_TOKEN);
            page.json().get("events").forEach(e -> seen.add(e.get("fingerprint").asText()));
            cursor = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        } while (cursor != null);
        assertEquals(List.of("e1", "e2", "e3", "e4", "e5"), seen);
    }

    @Test
    void unknownParameterIs400NamingIt() {
        Response r = get("/api/v1/events?min_severity=high", ADMIN_TOKEN);

        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("detail").asText().startsWith("invalid query: unknown parameter \"min_severity\"; "
                + "known: limit, type, severity, severity_min,"), r.body());
    }

    private List<String> titles(String query) {
        Response r = get("/api/v1/events?since=2026-11-27T00:00:00Z&" + query, ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        // each known event carries its label as fingerprint
        r.json().get("events").forEach(e -> out.add(e.get("fingerprint").asText()));
        return out;
    }

    private static Map<String, Object> known(String label, String time, String type, String severity, String plugin,
                                             String host, String agent, String subject, String title,
                                             Map<String, Object> attributes, String trace, String session) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", time);
        e.put("type", type);
        e.put("severity", severity);
        e.put("plugin", plugin);
        e.put("monitor", plugin + "-main");
        e.put("host", host);
        e.put("agent", agent);
        e.put("subject", subject);
        e.put("title", title);
        e.put("attributes", attributes);
        e.put("trace_id", trace);
        e.put("session_id", session);
        e.put("fingerprint", label);
        return event(e);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

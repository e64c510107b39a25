package io.vigil.server.errorlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.vigil.server.errorlog.ErrorReports.errors;
import static io.vigil.server.errorlog.ErrorReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agents' reports become groups: one row per error with a count, and one row per hour. */
@MicronautTest(transactional = false)
class ErrorGroupingSpec extends ServerSpec {

    static final Instant T = Instant.parse("2026-11-20T10:15:00Z");

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.errors.capture.enabled", "false", "vigil.errors.max-batch-reports", "5",
                "vigil.errors.max-batch-bytes", "20000");
    }

    @BeforeEach
    void empty() {
        execute("TRUNCATE error_groups CASCADE");
    }

    @Test
    void aThousandReportsOfOneErrorAreOneGroupWithCountAndHourRows() {
        for (int i = 0; i < 200; i++) {
            // the same error from the next build: other line numbers and ids in the message
            String stack = ErrorReports.STACK.replace(":88)", ":" + (88 + i) + ")");
            Instant at = T.plusSeconds(i * 60L); // 10:15 .. 13:34, four hours
            Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(
                    report(at, 5, Map.of("stack", stack, "message", "disk /dev/sda1 unreadable after " + i + " tries"))));
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(1, count("SELECT count(*) FROM error_groups"));
        Map<String, Object> g = queryOne("SELECT * FROM error_groups");
        assertEquals(1000L, g.get("occurrences"));
        assertEquals(AGENT_NAME, g.get("source"));
        assertEquals("monitor:disk", g.get("component"));
        assertEquals(Map.of("f", "2026-11-20 10:15", "l", "2026-11-20 13:34"), queryOne(
                "SELECT to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS f, "
                        + "to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS l FROM error_groups"));
        assertEquals("disk /dev/sda1 unreadable after 199 tries", g.get("message"));
        List<Map<String, Object>> hours = query("SELECT to_char(hour AT TIME ZONE 'UTC', 'HH24') AS h, occurrences "
                + "FROM error_hourly ORDER BY hour");
        // 10:15..10:59 = 45 reports, 11:xx = 60, 12:xx = 60, 13:00..13:34 = 35; five occurrences each
        assertEquals(List.of(Map.of("h", "10", "occurrences", 225L), Map.of("h", "11", "occurrences", 300L),
                Map.of("h", "12", "occurrences", 300L), Map.of("h", "13", "occurrences", 175L)), hours);
    }

    @Test
    void concurrentReportersOfOneErrorLoseNoCount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                answers.add(pool.submit(() -> postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 3))).status()));
            }
            for (Future<Integer> a : answers) {
                assertEquals(200, a.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT count(*) FROM error_groups"));
        assertEquals(240, count("SELECT occurrences FROM error_groups"));
        assertEquals(240, count("SELECT occurrences FROM error_hourly"));
    }

    @Test
    void aDifferentTopFrameIsAnotherGroup() {
        String elsewhere = ErrorReports.STACK.replace("DiskMonitor.poll", "DiskMonitor.open");
        JsonNode answer = postJson("/api/v1/errors", AGENT_TOKEN,
                errors(report(T, 1), report(T, 1, Map.of("stack", elsewhere)))).json();
        assertEquals(2, answer.get("new_groups").asInt());
        assertEquals(2, count("SELECT count(*) FROM error_groups"));
    }

    @Test
    void withoutAStackMessagesThatDifferOnlyInIdsAreOneGroup() {
        Map<String, Object> noStack = new java.util.HashMap<>();
        noStack.put("stack", null);
        noStack.put("exception_type", null);
        noStack.put("component", "ship");
        noStack.put("message", "cannot reach 10.0.0.7:8443 after 3 tries");
        Map<String, Object> other = new java.util.HashMap<>(noStack);
        other.put("message", "cannot reach 10.0.0.9:443 after 12 tries");
        postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 1, noStack), report(T, 1, other)));
        assertEquals(1, count("SELECT count(*) FROM error_groups"));
        assertEquals(2, count("SELECT occurrences FROM error_groups"));
    }

    @Test
    void aLongMessageAndStackAreCutWithAMarker() {
        postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 1, Map.of("message", "m".repeat(3000),
                "stack", ErrorReports.STACK + "x".repeat(5000)))));
        Map<String, Object> g = queryOne("SELECT message, stack FROM error_groups");
        assertEquals(2000, ((String) g.get("message")).length());
        assertTrue(((String) g.get("message")).endsWith("… [truncated 3000 chars]"));
        assertTrue(((String) g.get("stack")).length() <= 16 * 1024);
    }

    @Test
    void aBadReportIs400NamingTheFieldAndNothingIsRecorded() {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 1),
                report(T, 0, Map.of("severity", "fatal", "last_seen", "yesterday"))));
        assertEquals(400, r.status());
        assertEquals("reports[1].severity: expected one of warn, error, critical, got \"fatal\"; "
                + "reports[1].last_seen: expected an ISO-8601 time such as 2026-11-27T10:00:00Z, got \"yesterday\"; "
                + "reports[1].count: must be at least 1, got 0", r.json().get("detail").asText());
        assertEquals(0, count("SELECT count(*) FROM error_groups"));
    }

    @Test
    void aReportWithoutComponentIs400() {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 1, Map.of("component", " "))));
        assertEquals(400, r.status());
        assertEquals("reports[0].component: required, e.g. \"monitor:disk\"", r.json().get("detail").asText());
    }

    @Test
    void aBodyThatIsNotABatchIs400() {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, "{\"events\": []}");
        assertEquals(400, r.status());
        assertEquals("reports: required, a list of error reports", r.json().get("detail").asText());
    }

    @Test
    void moreReportsThanTheLimitAre413() {
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(report(T, 1));
        }
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(six));
        assertEquals(413, r.status());
        assertEquals("reports: at most 5 per request (vigil.errors.max-batch-reports), got 6",
                r.json().get("detail").asText());
        assertEquals(0, count("SELECT count(*) FROM error_groups"));
    }

    @Test
    void aBodyOverTheByteLimitIs413() {
        Response r = postJson("/api/v1/errors", AGENT_TOKEN, errors(report(T, 1, Map.of("stack", "x".repeat(30000)))));
        assertEquals(413, r.status());
    }

    @Test
    void onlyAgentsReport() {
        assertEquals(403, postJson("/api/v1/errors", ADMIN_TOKEN, errors(report(T, 1))).status());
    }
}

package io.vigil.server.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.LogCapture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class RuleFileReloadSpec extends AlertingSpec {

    private static final String ONE_RULE = """
            rules:
              - id: reload-a
                event:
                  type: reload.a
                severity: high
            """;

    @Override
    protected String rules() {
        return ONE_RULE;
    }

    private boolean listed(String id) {
        JsonNode rules = get("/api/v1/rules", key("viewer")).json().get("rules");
        for (JsonNode r : rules) {
            if (r.get("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private void fire(String type, String subject) {
        assertEquals(200, ingest(events(eventNow(Map.of("type", type, "severity", "info", "subject", subject,
                "fingerprint", type + ":" + subject)))).status());
    }

    @Test
    void anEditedFileIsInForceWithoutARestart() {
        write(rulesFile, ONE_RULE + """
                  - id: reload-b
                    event:
                      type: reload.b
                    severity: low
                """);
        await("reload-b in force", Duration.ofSeconds(5), () -> listed("reload-b"));

        fire("reload.b", "edited");
        await("an alert of the new rule", Duration.ofSeconds(5), () -> !alertsOf("reload-b").isEmpty());
        write(rulesFile, ONE_RULE);
        await("reload-b gone", Duration.ofSeconds(5), () -> !listed("reload-b"));
    }

    @Test
    void aBadEditIsRefusedWithFileAndLineAndTheRulesInForceStay() {
        try (LogCapture logs = new LogCapture()) {
            write(rulesFile, """
                    rules:
                      - id: reload-a
                        event:
                          type: reload.a
                        severity: urgent
                      - id: reload-c
                        event:
                          typ: reload.c
                    """);
            await("the problems to be reported", Duration.ofSeconds(5),
                    () -> get("/api/v1/rules/status", key("viewer")).json().get("problems").size() > 0);

            JsonNode problems = get("/api/v1/rules/status", key("viewer")).json().get("problems");
            String file = rulesFile.toString();
            assertEquals(file + ":5 rules[0].severity: unknown severity \"urgent\": expected one of info, low, medium, "
                    + "high, critical", problems.get(0).asText());
            assertTrue(problems.get(1).asText().startsWith(file + ":8 rules[1].event.typ: unknown key \"typ\"; did you "
                    + "mean \"type\"?"), problems.get(1).asText());
            assertTrue(logs.text().contains(file + ":5 rules[0].severity: unknown severity \"urgent\""), logs.text());
            assertTrue(logs.text().contains("keeping the rules read at"));

            fire("reload.a", "still-in-force");
            await("an alert of the rule read before", Duration.ofSeconds(5),
                    () -> alertsOf("reload-a").stream().anyMatch(a -> a.get("state").equals("firing")));
            assertEquals(3, alertsOf("reload-a").get(alertsOf("reload-a").size() - 1).get("severity")); // high, as before
        } finally {
            write(rulesFile, ONE_RULE + "\n");
            await("the good file back", Duration.ofSeconds(5),
                    () -> get("/api/v1/rules/status", key("viewer")).json().get("problems").isEmpty());
        }
    }

    @Test
    void aServerWithABadRulesFileRefusesToStart() {
        Path bad = dir.resolve("bad-rules.yml");
        write(bad, "rules:\n  - id: x\n    event: {type: a.b}\n    severity: loud\n");
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("vigil.alerting.rules-file", bad.toString());
        props.put("micronaut.server.port", -1);
        RuntimeException e = assertThrows(RuntimeException.class, () -> ApplicationContext.run(props).close());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains(bad + ":4 rules[0].severity: unknown severity \"loud\""), root.getMessage());
    }
}

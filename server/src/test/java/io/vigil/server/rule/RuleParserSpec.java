package io.vigil.server.rule;

import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.configfile.Problem;
import io.vigil.server.configfile.Problems;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading rules files: every problem with its line, and the shipped defaults. */
class RuleParserSpec {

    private static List<String> problemsOf(String yaml) {
        Problems problems = new Problems();
        RuleParser.document(ConfigNode.parse(yaml, "rules.yml", problems), RuleSource.FILE);
        return problems.list().stream().map(Problem::toString).toList();
    }

    @Test
    void everyProblemOfADocumentIsReportedWithItsLineAndKeyPath() {
        List<String> problems = problemsOf("""
                rules:
                  - id: a
                    event:
                      type: x.y
                      severity_min: hgh
                    title: "{{subjct}}"
                  - id: a
                    metric:
                      name: m
                      op: ">="
                      threshold: 1
                      resolve_threshold: 2
                      window: soon
                    severity: high
                  - id: c
                    absence:
                      for: 5m
                    severity: low
                """);
        assertEquals(List.of(
                "rules.yml:5 rules[0].event.severity_min: unknown severity \"hgh\": expected one of info, low, medium, high, critical",
                "rules.yml:6 rules[0].title: unknown template variable {{subjct}}; known: rule, type, plugin, subject, title, "
                        + "severity, host, agent, monitor, fingerprint, time, attributes.<name>",
                "rules.yml:13 rules[1].metric.window: expected a duration like 30s, 5m, 1h or 500ms, got \"soon\"",
                "rules.yml:12 rules[1].metric.resolve_threshold: must be on the clear side of the threshold (at most 1 for >=), got 2",
                "rules.yml:16 rules[2].absence: an absence rule watches either agents (agent: \"*\") or a metric (metric: name), "
                        + "neither is given"), problems);
    }

    @Test
    void aDuplicateIdIsAProblemOfTheSecondRule() {
        List<String> problems = problemsOf("""
                rules:
                  - id: same
                    event: {type: a}
                  - id: same
                    event: {type: b}
                """);
        assertEquals(List.of("rules.yml:4 rules[1].id: rule id \"same\" is already used at line 2"), problems);
    }

    @Test
    void malformedYamlIsOneProblemWithItsLine() {
        List<String> problems = problemsOf("rules:\n  - id: a\n    event: {type: [a\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("rules.yml:4: invalid YAML:"), problems.get(0));
    }

    @Test
    void theShippedDefaultsAreValidAndCoverEveryBundledPlugin() throws IOException {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RuleCatalog.DEFAULTS_RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Problems problems = new Problems();
        List<RuleParser.Parsed> rules = RuleParser.document(ConfigNode.parse(text, "default-rules.yml", problems),
                RuleSource.DEFAULT);
        assertEquals(List.of(), problems.list());

        Set<String> coverage = rules.stream().map(p -> switch (p.rule().kind()) {
            case "event" -> {
                EventRule r = (EventRule) p.rule();
                yield r.match().plugin() != null ? r.match().plugin().toString() : r.match().types().get(0).toString();
            }
            case "metric" -> ((MetricRule) p.rule()).metric();
            default -> {
                AbsenceRule r = (AbsenceRule) p.rule();
                yield r.watchesAgents() ? "agent-silence" : r.metric() + "-silence";
            }
        }).collect(Collectors.toSet());
        assertTrue(coverage.containsAll(Set.of("example", "agent.monitor.failed", "agent-silence", "filesystem", "docker",
                "schema", "oracle.deviation_pct", "vault.anomaly_score", "liquidation.max_score")), coverage.toString());

        MetricRule oracle = (MetricRule) rules.stream().filter(p -> p.rule().id().equals("oracle-deviation-critical"))
                .findFirst().orElseThrow().rule();
        assertEquals(1.0, oracle.threshold());
        assertEquals("critical", oracle.severity().wireName());
    }
}

package io.vigil.server.rule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules in force at one moment, immutable: evaluation takes one snapshot and works on it while
 * reloads build the next.
 *
 * @param version increases with every change
 */
public record RuleSet(long version, List<Entry> entries, List<EventRule> eventRules,
                      Map<String, List<MetricRule>> metricRules, List<AbsenceRule> absenceRules) {

    /**
     * A rule with its state and definition.
     *
     * @param enabled    disabled rules are listed but never evaluated
     * @param definition the rule as written (plain maps and lists), for the API
     */
    public record Entry(Rule rule, boolean enabled, Object definition) {
    }

    static RuleSet of(long version, Collection<Entry> entries) {
        List<EventRule> events = new ArrayList<>();
        Map<String, List<MetricRule>> metrics = new HashMap<>();
        List<AbsenceRule> absences = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.enabled()) {
                continue;
            }
            if (e.rule() instanceof EventRule r) {
                events.add(r);
            } else if (e.rule() instanceof MetricRule r) {
                metrics.computeIfAbsent(r.metric(), k -> new ArrayList<>()).add(r);
            } else if (e.rule() instanceof AbsenceRule r) {
                absences.add(r);
            }
        }
        Map<String, List<MetricRule>> frozen = new LinkedHashMap<>();
        metrics.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new RuleSet(version, List.copyOf(entries), List.copyOf(events), Map.copyOf(frozen), List.copyOf(absences));
    }

    /** The names of the metrics some enabled metric rule evaluates. */
    public Set<String> metricNames() {
        return metricRules.keySet();
    }

    public java.util.Optional<Entry> find(String id) {
        return entries.stream().filter(e -> e.rule().id().equals(id)).findFirst();
    }
}

package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.event.Severity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fires when something that used to report went silent for {@code for}: an agent (no heartbeat
 * and no batch) or each series of a metric (no sample). Resolves when it reports again. Only
 * agents and series that reported at least once are watched.
 *
 * @param agent  glob on agent names, for an agent rule
 * @param metric metric name, for a series rule
 * @param match  conditions on the series' labels, for a series rule
 */
public record AbsenceRule(String id, String description, Map<String, String> labels, RuleSource source,
                          @Nullable Glob agent, @Nullable String metric, List<LabelMatcher> match,
                          Duration forDuration, Severity severity, Template title, Template message)
        implements Rule {

    @Override
    public String kind() {
        return "absence";
    }

    public boolean watchesAgents() {
        return agent != null;
    }
}

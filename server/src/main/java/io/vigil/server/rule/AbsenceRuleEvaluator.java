package io.vigil.server.rule;

import io.vigil.server.agent.AgentLiveness;
import io.vigil.server.agent.AgentState;
import io.vigil.server.alert.AlertQuery;
import io.vigil.server.alert.AlertService;
import io.vigil.server.alert.AlertSignal;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.configfile.Durations;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates absence rules on every evaluation tick, from the database (agents' last heartbeat or
 * batch, each series' latest sample), so every replica reaches the same verdict and the open-alert
 * index keeps one alert per silent thing.
 */
@Singleton
class AbsenceRuleEvaluator {

    private final RuleCatalog catalog;
    private final AlertService alerts;
    private final AlertQuery alertQuery;
    private final AgentLiveness liveness;
    private final MetricHistory history;
    private final Clock clock;

    AbsenceRuleEvaluator(RuleCatalog catalog, AlertService alerts, AlertQuery alertQuery, AgentLiveness liveness,
                         MetricHistory history, @Named("alerting") Clock clock) {
        this.catalog = catalog;
        this.alerts = alerts;
        this.alertQuery = alertQuery;
        this.liveness = liveness;
        this.history = history;
        this.clock = clock;
    }

    void tick() {
        List<AbsenceRule> rules = catalog.current().absenceRules();
        if (rules.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Set<String> open = alertQuery.openKeys("absence");
        List<AgentState> agents = null;
        List<AlertSignal> fire = new ArrayList<>();
        List<String[]> resolve = new ArrayList<>();
        for (AbsenceRule r : rules) {
            if (r.watchesAgents()) {
                if (agents == null) {
                    agents = liveness.list(now);
                }
                for (AgentState a : agents) {
                    String name = a.agent().name();
                    if (a.lastContactAt() == null || !r.agent().matches(name)) {
                        continue;
                    }
                    Map<String, String> labels = new LinkedHashMap<>();
                    labels.put("agent", name);
                    if (a.agent().host() != null) {
                        labels.put("host", a.agent().host());
                    }
                    judge(r, "agent:" + name, a.lastContactAt(), now, labels, name, null, open, fire, resolve);
                }
            } else {
                for (MetricHistory.LastSample s : history.lastSamples(r.metric())) {
                    if (!LabelMatcher.all(r.match(), s.labels())) {
                        continue;
                    }
                    judge(r, r.metric() + SeriesWindow.labelText(s.labels()), s.time(), now, s.labels(), null,
                            SeriesWindow.labelText(s.labels()), open, fire, resolve);
                }
            }
        }
        alerts.fire(fire);
        for (String[] r : resolve) {
            alerts.resolveByKey(r[0], r[1], r[2]);
        }
    }

    private static void judge(AbsenceRule r, String fingerprint, Instant last, Instant now, Map<String, String> found,
                              String agent, String series, Set<String> open, List<AlertSignal> fire,
                              List<String[]> resolve) {
        boolean silent = last.isBefore(now.minus(r.forDuration()));
        boolean isOpen = open.contains(AlertQuery.key(r.id(), fingerprint));
        if (silent && !isOpen) {
            Map<String, Object> vars = new HashMap<>();
            vars.put("rule", r.id());
            vars.put("severity", r.severity().wireName());
            vars.put("agent", agent);
            vars.put("metric", r.metric());
            vars.put("series", series);
            vars.put("silent_for", Durations.format(Duration.ofSeconds(Duration.between(last, now).toSeconds())));
            vars.put("last_seen", last.toString());
            vars.put("for", Durations.format(r.forDuration()));
            vars.put("labels", found);
            Map<String, String> labels = new LinkedHashMap<>(found);
            labels.putAll(r.labels());
            if (r.metric() != null) {
                labels.put("metric", r.metric());
            }
            labels.put("rule", r.id());
            labels.put("severity", r.severity().wireName());
            fire.add(new AlertSignal(r.id(), r.kind(), fingerprint, r.severity(), r.title().render(vars::get).strip(),
                    r.message().render(vars::get), labels, now, null, null, null));
        } else if (!silent && isOpen) {
            resolve.add(new String[]{r.id(), fingerprint, "reported again at " + last});
        }
    }
}

package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.alert.AlertQuery;
import io.vigil.server.alert.AlertService;
import io.vigil.server.alert.AlertSignal;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.configfile.Durations;
import io.vigil.server.ingest.IngestedBatch;
import io.vigil.server.metric.NewSample;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates metric rules. Each series of a rule's metric has an in-memory window of recent samples:
 * fed by every stored batch (evaluation on ingest, so a threshold crossing alerts within the
 * request) and refreshed from {@code metric_samples} on every evaluation tick (so that a new
 * server, or a replica that did not receive the batch, sees the same data). The tick also
 * completes {@code for} durations and resolves alerts whose aggregate has moved back over the
 * resolve threshold as samples leave the window.
 *
 * <p>A series without samples in its window keeps its state: a firing alert stays firing (absence
 * rules are the tool for silence), a pending one is dropped.
 */
@Singleton
class MetricRuleEvaluator {

    /** Series per metric kept in memory at most; more are ignored, with a warning. */
    static final int MAX_SERIES_PER_METRIC = 10_000;
    private static final int MAX_REFRESH_ROWS = 200_000;

    private static final Logger LOG = LoggerFactory.getLogger(MetricRuleEvaluator.class);

    private final RuleCatalog catalog;
    private final AlertService alerts;
    private final AlertQuery alertQuery;
    private final MetricHistory history;
    private final MeterRegistry meters;
    private final Clock clock;

    /** metric name → series key → window */
    private final Map<String, Map<String, SeriesWindow>> windows = new HashMap<>();
    /** (rule, series) → pending/firing */
    private final Map<String, State> states = new HashMap<>();
    private final Set<String> warnedFull = new java.util.HashSet<>();

    private static final class State {
        @Nullable Instant pendingSince;
        boolean firing;
    }

    private sealed interface Transition permits Fire, Resolve {
    }

    private record Fire(AlertSignal signal) implements Transition {
    }

    private record Resolve(String ruleId, String fingerprint, String reason) implements Transition {
    }

    MetricRuleEvaluator(RuleCatalog catalog, AlertService alerts, AlertQuery alertQuery, MetricHistory history,
                        MeterRegistry meters, @Named("alerting") Clock clock) {
        this.catalog = catalog;
        this.alerts = alerts;
        this.alertQuery = alertQuery;
        this.history = history;
        this.meters = meters;
        this.clock = clock;
    }

    @EventListener
    void onBatch(IngestedBatch batch) {
        if (batch.samples().isEmpty()) {
            return;
        }
        try {
            RuleSet rules = catalog.current();
            if (rules.metricRules().isEmpty()) {
                return;
            }
            List<Transition> transitions;
            synchronized (this) {
                Set<SeriesWindow> touched = new LinkedHashSet<>();
                for (NewSample s : batch.samples()) {
                    if (!rules.metricRules().containsKey(s.name())) {
                        continue;
                    }
                    SeriesWindow w = window(s.name(), history.labels(s.labelsJson()));
                    if (w != null) {
                        w.add(s.time(), s.value());
                        touched.add(w);
                    }
                }
                transitions = evaluate(rules, touched, clock.instant());
            }
            apply(transitions);
        } catch (RuntimeException e) {
            meters.counter("vigil.alerting.evaluation.failures", "kind", "metric").increment();
            LOG.error("metric rules could not be evaluated for a batch from agent {}: {}", batch.agentName(),
                    e.toString(), e);
        }
    }

    /** Refreshes the windows from the database and evaluates every series of every metric rule. */
    void tick() {
        RuleSet rules = catalog.current();
        Instant now = clock.instant();
        if (rules.metricRules().isEmpty()) {
            synchronized (this) {
                windows.clear();
                states.clear();
            }
            return;
        }
        Set<String> open = alertQuery.openKeys("metric");
        Map<String, List<MetricHistory.Sample>> stored = new HashMap<>();
        for (Map.Entry<String, List<MetricRule>> e : rules.metricRules().entrySet()) {
            stored.put(e.getKey(), history.since(e.getKey(), now.minus(longestWindow(e.getValue())), MAX_REFRESH_ROWS));
        }
        List<Transition> transitions;
        synchronized (this) {
            windows.keySet().retainAll(rules.metricNames());
            for (Map.Entry<String, List<MetricHistory.Sample>> e : stored.entrySet()) {
                for (MetricHistory.Sample s : e.getValue()) {
                    SeriesWindow w = window(e.getKey(), s.labels());
                    if (w != null) {
                        w.add(s.time(), s.value());
                    }
                }
            }
            List<SeriesWindow> all = new ArrayList<>();
            for (Map.Entry<String, Map<String, SeriesWindow>> e : windows.entrySet()) {
                Instant keepAfter = now.minus(longestWindow(rules.metricRules().get(e.getKey())));
                for (SeriesWindow w : e.getValue().values()) {
                    w.prune(keepAfter);
                    all.add(w);
                }
            }
            // the database says which alerts are open (another replica may have fired or resolved one)
            states.entrySet().removeIf(s -> {
                s.getValue().firing = open.contains(s.getKey());
                return !s.getValue().firing && s.getValue().pendingSince == null;
            });
            for (String key : open) {
                states.computeIfAbsent(key, k -> new State()).firing = true;
            }
            transitions = evaluate(rules, all, now);
        }
        apply(transitions);
    }

    private @Nullable SeriesWindow window(String metric, Map<String, String> labels) {
        Map<String, SeriesWindow> series = windows.computeIfAbsent(metric, k -> new HashMap<>());
        String key = metric + SeriesWindow.labelText(labels);
        SeriesWindow w = series.get(key);
        if (w == null) {
            if (series.size() >= MAX_SERIES_PER_METRIC) {
                if (warnedFull.add(metric)) {
                    LOG.warn("metric {} has more than {} series; metric rules ignore the others", metric,
                            MAX_SERIES_PER_METRIC);
                }
                return null;
            }
            w = new SeriesWindow(metric, labels);
            series.put(key, w);
        }
        return w;
    }

    private List<Transition> evaluate(RuleSet rules, Collection<SeriesWindow> series, Instant now) {
        List<Transition> out = new ArrayList<>();
        for (SeriesWindow w : series) {
            for (MetricRule r : rules.metricRules().getOrDefault(w.metric(), List.of())) {
                if (!LabelMatcher.all(r.match(), w.labels())) {
                    continue;
                }
                String key = AlertQuery.key(r.id(), w.key());
                State st = states.computeIfAbsent(key, k -> new State());
                Double value = w.aggregate(r.aggregate(), now.minus(r.window()));
                if (!st.firing) {
                    if (value != null && r.op().test(value, r.threshold())) {
                        if (st.pendingSince == null) {
                            st.pendingSince = now;
                        }
                        if (!now.isBefore(st.pendingSince.plus(r.forDuration()))) {
                            out.add(new Fire(signal(r, w, value, now)));
                            st.firing = true;
                            st.pendingSince = null;
                        }
                    } else {
                        st.pendingSince = null;
                    }
                } else if (value != null && !r.staysFiring(value)) {
                    double bound = r.resolveThreshold() == null ? r.threshold() : r.resolveThreshold();
                    out.add(new Resolve(r.id(), w.key(), r.aggregate().wireName() + " over "
                            + Durations.format(r.window()) + " is " + io.vigil.server.rule.Template.format(value)
                            + ", no longer " + r.op().symbol() + " " + io.vigil.server.rule.Template.format(bound)));
                    st.firing = false;
                }
            }
        }
        return out;
    }

    private void apply(List<Transition> transitions) {
        List<AlertSignal> fire = new ArrayList<>();
        for (Transition t : transitions) {
            if (t instanceof Fire f) {
                fire.add(f.signal());
            }
        }
        alerts.fire(fire);
        for (Transition t : transitions) {
            if (t instanceof Resolve r) {
                alerts.resolveByKey(r.ruleId(), r.fingerprint(), r.reason());
            }
        }
    }

    private static AlertSignal signal(MetricRule r, SeriesWindow w, double value, Instant now) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("rule", r.id());
        vars.put("severity", r.severity().wireName());
        vars.put("metric", r.metric());
        vars.put("series", SeriesWindow.labelText(w.labels()));
        vars.put("value", value);
        vars.put("threshold", r.threshold());
        vars.put("resolve_threshold", r.resolveThreshold() == null ? r.threshold() : r.resolveThreshold());
        vars.put("op", r.op().symbol());
        vars.put("aggregate", r.aggregate().wireName());
        vars.put("window", Durations.format(r.window()));
        vars.put("for", Durations.format(r.forDuration()));
        vars.put("labels", w.labels());
        Map<String, String> labels = new LinkedHashMap<>(w.labels());
        labels.putAll(r.labels());
        labels.put("metric", r.metric());
        labels.put("rule", r.id());
        labels.put("severity", r.severity().wireName());
        return new AlertSignal(r.id(), r.kind(), w.key(), r.severity(), r.title().render(vars::get).strip(),
                r.message().render(vars::get), labels, now, value, null, null);
    }

    private static Duration longestWindow(List<MetricRule> rules) {
        Duration longest = Duration.ZERO;
        for (MetricRule r : rules) {
            if (r.window().compareTo(longest) > 0) {
                longest = r.window();
            }
        }
        return longest;
    }
}

package io.vigil.server.rule;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.alert.AlertService;
import io.vigil.server.alert.AlertSignal;
import io.vigil.server.configfile.Durations;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.Severity;
import io.vigil.server.ingest.IngestedBatch;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates event rules on every stored batch, right after its commit (the {@link IngestedBatch}
 * carries only events that were new, so a redelivered batch alerts nothing twice). Matching events
 * fire or repeat alerts; resolving events resolve the open alert of their fingerprint. On the
 * evaluation tick, alerts of rules with {@code resolve_after} resolve once quiet that long.
 */
@Singleton
class EventRuleEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(EventRuleEvaluator.class);

    private final RuleCatalog catalog;
    private final AlertService alerts;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    EventRuleEvaluator(RuleCatalog catalog, AlertService alerts, JsonMapper json, MeterRegistry meters,
                       @Named("alerting") Clock clock) {
        this.catalog = catalog;
        this.alerts = alerts;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    @EventListener
    void onBatch(IngestedBatch batch) {
        if (batch.newEvents().isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            evaluate(batch);
            meters.timer("vigil.alerting.evaluation.duration", "kind", "event")
                    .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // the batch is stored already; the failure must not turn its 200 into a 500
            meters.counter("vigil.alerting.evaluation.failures", "kind", "event").increment();
            LOG.error("event rules could not be evaluated for a batch of {} events from agent {}: {}",
                    batch.newEvents().size(), batch.agentName(), e.toString(), e);
        }
    }

    void evaluate(IngestedBatch batch) {
        List<EventRule> rules = catalog.current().eventRules();
        if (rules.isEmpty()) {
            return;
        }
        List<AlertSignal> firing = new ArrayList<>();
        for (NewEvent e : batch.newEvents()) {
            EventFacts facts = new EventFacts(e, batch.agentName(), json);
            for (EventRule r : rules) {
                if (r.resolvedBy(facts)) {
                    alerts.fire(firing); // keep the order of the batch: what fired before is resolved after
                    firing.clear();
                    alerts.resolveByKey(r.id(), fingerprint(r, facts), "resolved by " + facts.type() + " event " + e.id());
                } else if (r.match().matches(facts)) {
                    firing.add(signal(r, facts));
                }
            }
        }
        alerts.fire(firing);
    }

    /** Resolves the alerts of rules with a quiet period that saw no repeat for that long. */
    void tick() {
        Instant now = clock.instant();
        for (EventRule r : catalog.current().eventRules()) {
            if (r.resolveAfter() != null) {
                alerts.resolveQuiet(r.id(), now.minus(r.resolveAfter()),
                        "no matching event for " + Durations.format(r.resolveAfter()));
            }
        }
    }

    private static String fingerprint(EventRule r, EventFacts f) {
        if (r.fingerprint() == null) {
            return f.fingerprint();
        }
        String fp = r.fingerprint().render(name -> name.equals("rule") ? r.id() : f.variable(name));
        return fp.isBlank() ? f.fingerprint() : fp;
    }

    static AlertSignal signal(EventRule r, EventFacts f) {
        Severity severity = r.severity() != null ? r.severity() : f.severity();
        String title = r.title().render(name -> name.equals("rule") ? r.id() : f.variable(name)).strip();
        if (title.isEmpty()) {
            title = f.type() + (f.subject().isEmpty() ? "" : " " + f.subject());
        }
        String message = r.message().render(name -> name.equals("rule") ? r.id() : f.variable(name));
        Map<String, String> labels = new LinkedHashMap<>(r.labels());
        NewEvent e = f.event();
        put(labels, "plugin", e.plugin());
        put(labels, "type", e.type());
        put(labels, "subject", e.subject());
        put(labels, "host", e.host());
        put(labels, "agent", f.agentName());
        put(labels, "monitor", e.monitor());
        labels.put("rule", r.id());
        labels.put("severity", severity.wireName());
        return new AlertSignal(r.id(), r.kind(), fingerprint(r, f), severity, title, message, labels, e.time(), null,
                e.id(), e.time());
    }

    private static void put(Map<String, String> labels, String name, String value) {
        if (value != null && !value.isEmpty()) {
            labels.put(name, value);
        }
    }
}

package io.vigil.server.rule;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.vigil.server.alert.AlertingScheduler;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The timers of rule evaluation: the rules file is checked for changes every
 * {@code vigil.alerting.reload-interval}; every {@code vigil.alerting.evaluation-interval} the API
 * rules are refreshed, metric rules complete their {@code for} and resolve, absence rules look for
 * silence and quiet event alerts resolve.
 */
@Singleton
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
class RuleTicker {

    private static final Logger LOG = LoggerFactory.getLogger(RuleTicker.class);

    private final RuleCatalog catalog;
    private final EventRuleEvaluator events;
    private final MetricRuleEvaluator metrics;
    private final AbsenceRuleEvaluator absences;
    private volatile boolean databaseWasDown;

    private final AlertingScheduler scheduler;
    private final Duration reloadInterval;
    private final Duration evaluationInterval;

    RuleTicker(RuleCatalog catalog, EventRuleEvaluator events, MetricRuleEvaluator metrics,
               AbsenceRuleEvaluator absences, AlertingScheduler scheduler,
               @Value("${vigil.alerting.reload-interval:5s}") Duration reloadInterval,
               @Value("${vigil.alerting.evaluation-interval:10s}") Duration evaluationInterval) {
        this.catalog = catalog;
        this.events = events;
        this.metrics = metrics;
        this.absences = absences;
        this.scheduler = scheduler;
        this.reloadInterval = reloadInterval;
        this.evaluationInterval = evaluationInterval;
    }

    @EventListener
    void start(StartupEvent event) {
        scheduler.every("checking the rules file", reloadInterval, reloadInterval, this::reloadRulesFile);
        scheduler.every("rule evaluation", evaluationInterval, evaluationInterval, this::evaluate);
    }

    void reloadRulesFile() {
        try {
            catalog.reloadFile();
        } catch (RuntimeException e) {
            LOG.error("checking the rules file failed: {}", e.toString(), e);
        }
    }

    void evaluate() {
        run("API rules", catalog::refreshApiRules);
        run("metric rules", metrics::tick);
        run("absence rules", absences::tick);
        run("event rule quiet periods", events::tick);
    }

    private void run(String what, Runnable step) {
        try {
            step.run();
            if (databaseWasDown) {
                databaseWasDown = false;
                LOG.info("alert evaluation works again: the database is back");
            }
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                if (!databaseWasDown) {
                    databaseWasDown = true;
                    LOG.warn("alert evaluation paused: the database is unreachable ({})", e.getClass().getSimpleName());
                }
                return;
            }
            LOG.error("evaluating {} failed: {}", what, e.toString(), e);
        }
    }
}

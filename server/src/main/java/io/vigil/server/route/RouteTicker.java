package io.vigil.server.route;

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
 * The timers of routing: the routing file is checked for changes every
 * {@code vigil.alerting.reload-interval}; notification groups that are due (group wait, group
 * interval, repeat interval) are flushed every {@code vigil.alerting.group-tick}.
 */
@Singleton
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
class RouteTicker {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTicker.class);

    private final RoutingFile routing;
    private final NotificationPlanner planner;
    private volatile boolean databaseWasDown;

    private final AlertingScheduler scheduler;
    private final Duration reloadInterval;
    private final Duration groupTick;

    RouteTicker(RoutingFile routing, NotificationPlanner planner, AlertingScheduler scheduler,
                @Value("${vigil.alerting.reload-interval:5s}") Duration reloadInterval,
                @Value("${vigil.alerting.group-tick:1s}") Duration groupTick) {
        this.routing = routing;
        this.planner = planner;
        this.scheduler = scheduler;
        this.reloadInterval = reloadInterval;
        this.groupTick = groupTick;
    }

    @EventListener
    void start(StartupEvent event) {
        scheduler.every("checking the routing file", reloadInterval, reloadInterval, this::reload);
        scheduler.every("notification groups", groupTick, groupTick, this::flush);
    }

    void reload() {
        try {
            routing.reload();
        } catch (RuntimeException e) {
            LOG.error("checking the routing file failed: {}", e.toString(), e);
        }
    }

    void flush() {
        try {
            planner.flushDue();
            databaseWasDown = false;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                if (!databaseWasDown) {
                    databaseWasDown = true;
                    LOG.warn("notification grouping paused: the database is unreachable");
                }
                return;
            }
            LOG.error("flushing notification groups failed: {}", e.toString(), e);
        }
    }
}

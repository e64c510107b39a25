package io.vigil.server.alert;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The clock of the alerting core (rules, alerts, routing, escalation, delivery). Named, so that a
 * specification can replace it without touching any other clock of the server. It ticks in
 * microseconds, the resolution of {@code timestamptz}.
 */
@Factory
class AlertingClock {

    @Singleton
    @Named("alerting")
    Clock clock() {
        // microseconds, as PostgreSQL stores them: a time read back equals the time written
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1000));
    }
}

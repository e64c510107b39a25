package io.vigil.server.errorlog;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The error log's clock: "now" of the statistics, of resolutions and of the retention purge. Named,
 * so that a specification can replace it without touching any other clock of the server.
 */
@Factory
class ErrorLogClock {

    @Singleton
    @Named("errorlog")
    Clock clock() {
        // microseconds, as PostgreSQL stores them: a time read back equals the time written
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
    }
}

package io.vigil.server.healthlog;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.vigil.server.retention.RetainedTable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Has {@code health_samples} kept in day partitions for {@code vigil.retention.health-samples} (30 days). */
@Factory
class HealthRetention {

    @Singleton
    @Named("health_samples")
    RetainedTable healthSamples(@Value("${vigil.retention.health-samples:30d}") Duration retention) {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(
                    "vigil.retention.health-samples must be at least 1d (samples are kept in day partitions), got "
                            + retention);
        }
        return new RetainedTable("health_samples", retention);
    }
}

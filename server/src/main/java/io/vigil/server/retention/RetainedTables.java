package io.vigil.server.retention;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The partitioned tables of the event and metric store, with their configured retention. */
@Factory
class RetainedTables {

    @Singleton
    @Named("events")
    RetainedTable events(RetentionSettings settings) {
        return new RetainedTable("events", settings.getEvents());
    }

    @Singleton
    @Named("metric_samples")
    RetainedTable metricSamples(RetentionSettings settings) {
        return new RetainedTable("metric_samples", settings.getMetricSamples());
    }
}

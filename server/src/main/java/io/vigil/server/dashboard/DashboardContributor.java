package io.vigil.server.dashboard;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * Adds one field to {@code GET /api/v1/dashboard}. Implement it as a {@code @Singleton} in the
 * package that owns the data (the alerting core fills {@value #FIRING_ALERTS}); the dashboard finds
 * every implementation and calls each once per request, on a blocking thread, after its own
 * queries. A contributor that throws makes the field {@code null} and is logged; the rest of the
 * dashboard is still answered.
 */
public interface DashboardContributor {

    /** The field reserved for the alerting core: the alerts firing now. */
    String FIRING_ALERTS = "firing_alerts";

    /**
     * The JSON field this contributor fills, snake_case; unique among contributors and not one of
     * the dashboard's own fields ({@code window}, {@code events}, {@code agents}, {@code top_monitors}).
     */
    String field();

    /**
     * The field's value: a {@code @Serdeable} record, a {@code Map}, a {@code List}, a string or a
     * number.
     *
     * @param since start of the dashboard's window (inclusive)
     * @param until end of the window, the request's "now" (exclusive)
     */
    @Nullable
    Object contribute(Instant since, Instant until);
}

package io.vigil.server.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.query.QueryParameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/dashboard}: the summary the dashboard page shows. */
@Controller("/api/v1/dashboard")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.VIEWER)
class DashboardController {

    private final Dashboard dashboard;
    private final HourlyEvents hourly;

    DashboardController(Dashboard dashboard, HourlyEvents hourly) {
        this.dashboard = dashboard;
        this.hourly = hourly;
    }

    /**
     * Events by severity, agents (silent ones listed), the noisiest monitors and the firing alerts
     * over the last {@code hours}.
     *
     * @param hours the window, 1 to 168 (default 24)
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, Object> summary(HttpRequest<?> request, @Nullable @QueryValue String hours) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("hours"), List.of());
        int h = p.integer("hours", 24, 1, 168);
        p.done();
        Instant now = Instant.now();
        return dashboard.summary(now.minus(Duration.ofHours(h)), now);
    }

    /**
     * Events per UTC hour and severity over the last {@code hours}, every hour listed (the overview's
     * chart).
     *
     * @param hours the window, 1 to 168 (default 24)
     */
    @Get(uri = "/events-per-hour", produces = MediaType.APPLICATION_JSON)
    HourlyEvents.Hours eventsPerHour(HttpRequest<?> request, @Nullable @QueryValue String hours) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("hours"), List.of());
        int h = p.integer("hours", 24, 1, 168);
        p.done();
        Instant now = Instant.now();
        return hourly.count(now.minus(Duration.ofHours(h)), now);
    }
}

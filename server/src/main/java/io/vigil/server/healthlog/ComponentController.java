package io.vigil.server.healthlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;
import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Component health for viewers: {@code GET /api/v1/components} (current status of every
 * component), {@code GET /api/v1/components/{component}/history} (its samples over a range; the
 * name keeps its slashes, e.g. {@code /api/v1/components/agent/web-1/history}) and
 * {@code GET /api/v1/components/availability} (availability per component over a window, as
 * {@link HealthQueries} defines it). Micronaut's {@code /health} is a different thing and stays.
 */
@Controller("/api/v1/components")
@ExecuteOn(TaskExecutors.BLOCKING)
class ComponentController {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    static final Duration MAX_WINDOW = Duration.ofDays(90);

    private final HealthQueries queries;

    ComponentController(HealthQueries queries) {
        this.queries = queries;
    }

    /** The components and their current status. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Components(Instant now, List<HealthQueries.ComponentView> components) {
    }

    /** A component's samples, oldest first. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record History(String component, Instant since, Instant until, @Nullable Long stepSeconds,
                   List<HealthQueries.SampleView> samples) {
    }

    /** Availability of each component over one window. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AvailabilityReport(String window, Instant from, Instant until, List<HealthQueries.Availability> components) {
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    Components list() {
        Instant now = Instant.now();
        return new Components(now, queries.current(now));
    }

    /**
     * @param since from (default: 24 hours before until)
     * @param until to (default now)
     * @param hours the last N hours instead of since/until
     * @param limit at most this many samples (default 1000, at most 10000)
     * @param step  one row per step (e.g. 5m): worst status, mean or highest figures
     */
    @Get(uri = "/{+component}/history", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> history(HttpRequest<?> request, @PathVariable String component,
                            @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                            @Nullable @QueryValue String hours, @Nullable @QueryValue String limit,
                            @Nullable @QueryValue String step) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("since", "until", "hours", "limit", "step"), List.of());
        TimeWindow window = p.window(Instant.now(), 24, 24 * 90);
        int max = p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Duration bucket = p.duration("step", null, Duration.ofSeconds(1), Duration.ofDays(1));
        p.done();
        if (!queries.exists(component)) {
            return HttpResponse.notFound(ApiError.of("no component named \"" + component
                    + "\"; GET /api/v1/components lists them"));
        }
        return HttpResponse.ok(new History(component, window.since(), window.until(),
                bucket == null ? null : bucket.toSeconds(),
                queries.history(component, window.since(), window.until(), max, bucket)));
    }

    /**
     * @param window    24h, 7d, 30d or any duration from 1m to 90d (default 24h)
     * @param until     end of the window (default now)
     * @param component only this component
     */
    @Get(uri = "/availability", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    AvailabilityReport availability(HttpRequest<?> request, @Nullable @QueryValue String window,
                                    @Nullable @QueryValue String until, @Nullable @QueryValue String component) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("window", "until", "component"), List.of());
        Duration length = p.duration("window", Duration.ofHours(24), Duration.ofMinutes(1), MAX_WINDOW);
        Instant end = p.time("until");
        p.done();
        Instant to = end == null ? Instant.now() : end;
        String name = p.text("window");
        return new AvailabilityReport(name == null ? "24h" : name, to.minus(length), to,
                queries.availability(to, length, p.text("component")));
    }
}

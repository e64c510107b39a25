package io.vigil.server.stats;

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
import io.vigil.server.event.EventFilter;
import io.vigil.server.query.QueryParameters;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/stats/events}: event counts per severity, plugin and type, per day. */
@Controller("/api/v1/stats")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.VIEWER)
class StatsController {

    static final List<String> OWN = List.of("days", "top");
    static final List<String> NOT_FOR_STATS = List.of("limit", "order", "cursor", "before");

    private final EventStatistics statistics;

    StatsController(EventStatistics statistics) {
        this.statistics = statistics;
    }

    /**
     * Counts over the last {@code days} days (default 7, at most 366), or {@code since}/{@code until}
     * or {@code hours}; the other parameters of {@code GET /api/v1/events} (type, severity,
     * severity_min, host, agent, plugin, monitor, subject, attr.*, q, ...) narrow which events count.
     *
     * @param days the last N days
     * @param top  how many types {@code top_types} lists (default 10, at most 1000)
     */
    @Get(uri = "/events", produces = MediaType.APPLICATION_JSON)
    EventStatistics.Counts events(HttpRequest<?> request, @Nullable @QueryValue String days,
                                  @Nullable @QueryValue String top) {
        Map<String, List<String>> all = request.getParameters().asMap();
        Map<String, List<String>> own = new LinkedHashMap<>();
        Map<String, List<String>> filter = new LinkedHashMap<>();
        all.forEach((k, v) -> (OWN.contains(k) ? own : filter).put(k, v));
        QueryParameters p = new QueryParameters(own);
        int dayCount = p.integer("days", 7, 1, 366);
        int topCount = p.integer("top", 10, 1, 1000);
        QueryParameters f = new QueryParameters(filter);
        for (String name : NOT_FOR_STATS) {
            if (f.text(name) != null) {
                p.problem(name + " does not apply to statistics");
            }
        }
        if (p.text("days") != null && (f.text("since") != null || f.text("hours") != null)) {
            p.problem("give either days, hours or since/until");
        }
        p.done();
        Instant now = Instant.now();
        EventFilter parsed = EventFilter.parse(f, now);
        if (parsed.since() == null) {
            Instant until = parsed.until() == null ? now : parsed.until();
            parsed = withWindow(parsed, until.minus(Duration.ofDays(dayCount)), until);
        } else if (parsed.until() == null) {
            parsed = withWindow(parsed, parsed.since(), now);
        }
        return statistics.count(parsed, topCount);
    }

    private static EventFilter withWindow(EventFilter f, Instant since, Instant until) {
        return new EventFilter(f.limit(), f.types(), f.severities(), f.hosts(), f.agents(), f.plugins(), f.monitors(),
                f.subjects(), f.traceId(), f.sessionId(), f.fingerprint(), f.attributes(), f.text(), since, until,
                f.ascending(), f.cursor());
    }
}

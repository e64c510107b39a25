package io.vigil.server.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
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
import io.vigil.server.event.EventFilter;
import io.vigil.server.event.EventQuery;
import io.vigil.server.event.EventView;
import io.vigil.server.stats.EventStatistics;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/timelines/...}: the events of one trace, one session or one subject, oldest
 * first, a page at a time, with a summary on the first page; and their counts per day.
 */
@Controller("/api/v1/timelines")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.VIEWER)
class TimelineController {

    private final EventQuery events;
    private final TimelineSummary summaries;
    private final EventStatistics statistics;
    private final TimelineSettings settings;

    TimelineController(EventQuery events, TimelineSummary summaries, EventStatistics statistics,
                       TimelineSettings settings) {
        this.events = events;
        this.summaries = summaries;
        this.statistics = statistics;
        this.settings = settings;
    }

    /**
     * Every event of one monitor run, oldest first.
     *
     * @param traceId the trace id the events carry
     * @param limit   page size, 1 to 1000 (default 100)
     * @param after   the {@code next} value of the previous page
     */
    @Get(uri = "/trace/{traceId}", produces = MediaType.APPLICATION_JSON)
    Timeline trace(HttpRequest<?> request, @PathVariable String traceId, @Nullable @QueryValue String limit,
                   @Nullable @QueryValue String after) {
        return page(TimelineScope.TRACE, traceId, request);
    }

    /**
     * Every event of one agent process lifetime, oldest first (from {@code agent.session_started}
     * to {@code agent.session_ended} when it ended cleanly).
     *
     * @param sessionId the session id the events carry
     * @param limit     page size, 1 to 1000 (default 100)
     * @param after     the {@code next} value of the previous page
     */
    @Get(uri = "/session/{sessionId}", produces = MediaType.APPLICATION_JSON)
    Timeline session(HttpRequest<?> request, @PathVariable String sessionId, @Nullable @QueryValue String limit,
                     @Nullable @QueryValue String after) {
        return page(TimelineScope.SESSION, sessionId, request);
    }

    /**
     * Every event about one subject within a window, oldest first.
     *
     * @param subject the subject (percent-encoded in the path)
     * @param plugin  plugin ids (comma-separated)
     * @param type    event types; {@code docker.*} matches a prefix
     * @param since   ISO-8601, inclusive (default: vigil.timeline.default-window before until)
     * @param until   ISO-8601, exclusive (default: now)
     * @param limit   page size, 1 to 1000 (default 100)
     * @param after   the {@code next} value of the previous page
     */
    @Get(uri = "/subject/{subject}", produces = MediaType.APPLICATION_JSON)
    Timeline subject(HttpRequest<?> request, @PathVariable String subject, @Nullable @QueryValue String plugin,
                     @Nullable @QueryValue String type, @Nullable @QueryValue String since,
                     @Nullable @QueryValue String until, @Nullable @QueryValue String limit,
                     @Nullable @QueryValue String after) {
        return page(TimelineScope.SUBJECT, subject, request);
    }

    /**
     * Counts of a trace's events by severity, plugin and type, in total and per UTC day.
     *
     * @param traceId the trace
     * @param top     how many types {@code top_types} lists (default 10)
     */
    @Get(uri = "/trace/{traceId}/stats", produces = MediaType.APPLICATION_JSON)
    EventStatistics.Counts traceStatistics(HttpRequest<?> request, @PathVariable String traceId,
                                           @Nullable @QueryValue String top) {
        return count(TimelineScope.TRACE, traceId, request);
    }

    /**
     * Counts of a session's events by severity, plugin and type, in total and per UTC day.
     *
     * @param sessionId the session
     * @param top       how many types {@code top_types} lists (default 10)
     */
    @Get(uri = "/session/{sessionId}/stats", produces = MediaType.APPLICATION_JSON)
    EventStatistics.Counts sessionStatistics(HttpRequest<?> request, @PathVariable String sessionId,
                                             @Nullable @QueryValue String top) {
        return count(TimelineScope.SESSION, sessionId, request);
    }

    /**
     * Counts of a subject's events within a window by severity, plugin and type, in total and per UTC day.
     *
     * @param subject the subject
     * @param plugin  plugin ids
     * @param type    event types
     * @param since   ISO-8601, inclusive (default: vigil.timeline.default-window before until)
     * @param until   ISO-8601, exclusive (default: now)
     * @param top     how many types {@code top_types} lists (default 10)
     */
    @Get(uri = "/subject/{subject}/stats", produces = MediaType.APPLICATION_JSON)
    EventStatistics.Counts subjectStatistics(HttpRequest<?> request, @PathVariable String subject,
                                             @Nullable @QueryValue String plugin, @Nullable @QueryValue String type,
                                             @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                             @Nullable @QueryValue String top) {
        return count(TimelineScope.SUBJECT, subject, request);
    }

    private Timeline page(TimelineScope scope, String key, HttpRequest<?> request) {
        TimelineRequest r = TimelineRequest.page(scope, key, request.getParameters().asMap(), Instant.now(), settings);
        EventQuery.Page page = events.find(r.filter());
        // The summary heads the first page only: a later page costs one index range, not a recount.
        TimelineSummary.Summary summary = r.after() == null ? summaries.of(r.filter()) : null;
        return new Timeline(Scope.of(r), summary, page.events().stream().map(EventView::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    private EventStatistics.Counts count(TimelineScope scope, String key, HttpRequest<?> request) {
        TimelineRequest r = TimelineRequest.statistics(scope, key, request.getParameters().asMap(), Instant.now(),
                settings);
        return statistics.count(r.filter(), r.top());
    }

    /**
     * One page of a timeline.
     *
     * @param scope   what the timeline follows
     * @param summary the whole timeline's counts and first/last time; on the first page only (null after)
     * @param events  the page, oldest first
     * @param next    pass as {@code after} for the following page; null on the last page
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Timeline(Scope scope, @Nullable TimelineSummary.Summary summary, List<EventView> events,
                    @Nullable String next) {
    }

    /**
     * @param kind    {@code trace}, {@code session} or {@code subject}
     * @param id      the trace id, session id or subject
     * @param since   the window's start (subjects), else null
     * @param until   the window's end (subjects), else null
     * @param plugins the plugin filter (subjects)
     * @param types   the type filter (subjects)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Scope(String kind, String id, @Nullable Instant since, @Nullable Instant until, List<String> plugins,
                 List<String> types) {

        static Scope of(TimelineRequest r) {
            EventFilter f = r.filter();
            return new Scope(r.scope().wireName(), r.key(), f.since(), f.until(), f.plugins(), f.types());
        }
    }
}

package io.vigil.server.event;

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
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;
import io.vigil.server.query.QueryParameters;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The read API over stored events: viewers and up; agents cannot read. */
@Controller("/api/v1/events")
@ExecuteOn(TaskExecutors.BLOCKING)
class EventController {

    private final EventQuery query;

    EventController(EventQuery query) {
        this.query = query;
    }

    /**
     * Events matching every given condition, one page at a time, newest first unless {@code order=asc}.
     * List parameters take comma-separated values, any of which matches. {@code attr.<key>=<value>}
     * (repeatable) matches an attribute equal to the value.
     *
     * @param limit        page size, 1 to 1000 (default 100)
     * @param type         event types; {@code docker.*} matches a prefix
     * @param severity     severities, e.g. {@code high,critical}
     * @param severityMin  lowest severity included
     * @param host         host names
     * @param agent        agent names as the agents reported them
     * @param plugin       plugin ids
     * @param monitor      monitor names
     * @param subject      subjects
     * @param traceId      one monitor run
     * @param sessionId    one agent process lifetime
     * @param fingerprint  one dedup key
     * @param q            case-insensitive substring of the title
     * @param since        ISO-8601 time with offset, inclusive
     * @param until        ISO-8601 time with offset, exclusive
     * @param hours        the last N hours (instead of since)
     * @param order        {@code desc} (default) or {@code asc}
     * @param cursor       the {@code next} value of the previous page
     * @param before       the same as cursor (first API version)
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    EventPage list(HttpRequest<?> request,
                   @Nullable @QueryValue String limit,
                   @Nullable @QueryValue String type,
                   @Nullable @QueryValue String severity,
                   @Nullable @QueryValue("severity_min") String severityMin,
                   @Nullable @QueryValue String host,
                   @Nullable @QueryValue String agent,
                   @Nullable @QueryValue String plugin,
                   @Nullable @QueryValue String monitor,
                   @Nullable @QueryValue String subject,
                   @Nullable @QueryValue("trace_id") String traceId,
                   @Nullable @QueryValue("session_id") String sessionId,
                   @Nullable @QueryValue String fingerprint,
                   @Nullable @QueryValue String q,
                   @Nullable @QueryValue String since,
                   @Nullable @QueryValue String until,
                   @Nullable @QueryValue String hours,
                   @Nullable @QueryValue String order,
                   @Nullable @QueryValue String cursor,
                   @Nullable @QueryValue String before) {
        // the named parameters document the API; all of them, attr.* included, are read here
        EventFilter filter = EventFilter.parse(new QueryParameters(request.getParameters().asMap()), Instant.now());
        EventQuery.Page page = query.find(filter);
        return new EventPage(page.events().stream().map(EventView::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> get(@PathVariable String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(ApiError.of("event id must be a UUID, got \"" + id + "\""));
        }
        return query.find(uuid)
                .<HttpResponse<?>>map(e -> HttpResponse.ok(EventView.of(e)))
                .orElseGet(() -> HttpResponse.notFound(ApiError.of("no event with id " + uuid)));
    }

    /**
     * One page of events.
     *
     * @param events in the requested order
     * @param next   pass as {@code cursor} (with the same filters) to get the next page; {@code null} on the last page
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record EventPage(List<EventView> events, @Nullable String next) {
    }
}

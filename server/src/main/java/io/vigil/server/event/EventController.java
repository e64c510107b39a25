package io.vigil.server.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The read API over stored events. Admin token only; agents cannot read. */
@Controller("/api/v1/events")
@ExecuteOn(TaskExecutors.BLOCKING)
class EventController {

    private final EventQuery query;

    EventController(EventQuery query) {
        this.query = query;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    EventPage list(@Nullable @QueryValue String limit,
                   @Nullable @QueryValue String type,
                   @Nullable @QueryValue("severity_min") String severityMin,
                   @Nullable @QueryValue String plugin,
                   @Nullable @QueryValue String monitor,
                   @Nullable @QueryValue String since,
                   @Nullable @QueryValue String until,
                   @Nullable @QueryValue String before) {
        EventFilter filter = EventFilter.parse(limit, type, severityMin, plugin, monitor, since, until, before);
        EventQuery.Page page = query.find(filter);
        return new EventPage(page.events().stream().map(EventView::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
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

    @Error(exception = InvalidQueryException.class)
    HttpResponse<ApiError> invalidQuery(InvalidQueryException e) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(ApiError.of(e.getMessage()));
    }

    /**
     * One page of events.
     *
     * @param events newest first
     * @param next   pass as {@code before} to get the next page; {@code null} on the last page
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record EventPage(List<EventView> events, @Nullable String next) {
    }

    /** An event as the API shows it: the wire format plus what the server added. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record EventView(UUID id, Instant time, Instant receivedAt, long agentId, @Nullable String host,
                     @Nullable String agent, @Nullable String monitor, @Nullable String plugin, String type,
                     String severity, String subject, String title, Map<String, Object> attributes,
                     @Nullable String fingerprint, @Nullable String traceId, @Nullable String sessionId) {

        static EventView of(StoredEvent e) {
            return new EventView(e.id(), e.time(), e.receivedAt(), e.agentId(), e.host(), e.agent(), e.monitor(),
                    e.plugin(), e.type(), Severity.fromCode(e.severity()).wireName(), e.subject(), e.title(),
                    e.attributes(), e.fingerprint(), e.traceId(), e.sessionId());
        }
    }
}

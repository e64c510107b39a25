package io.vigil.server.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.event.EventCursor;
import io.vigil.server.event.EventFilter;
import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/sessions}: agent process lifetimes, from their start and end events. */
@Controller("/api/v1/sessions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.VIEWER)
class SessionController {

    /** The counts an {@code agent.session_ended} event carries, shown under {@code counts}. */
    static final List<String> COUNTS = List.of("events_emitted", "events_shipped", "ship_failures", "monitor_runs",
            "monitor_failures", "monitor_timeouts");

    private final SessionQuery sessions;
    private final TimelineSettings settings;

    SessionController(SessionQuery sessions, TimelineSettings settings) {
        this.sessions = sessions;
        this.settings = settings;
    }

    /**
     * Sessions that started within the window, newest first.
     *
     * @param agent  the agent's name (as it reports it)
     * @param since  ISO-8601, inclusive (default: vigil.timeline.default-window before until)
     * @param until  ISO-8601, exclusive (default: now)
     * @param limit  page size, 1 to 1000 (default 100)
     * @param cursor the {@code next} value of the previous page
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    SessionPage list(HttpRequest<?> request, @Nullable @QueryValue String agent, @Nullable @QueryValue String since,
                     @Nullable @QueryValue String until, @Nullable @QueryValue String limit,
                     @Nullable @QueryValue String cursor) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("agent", "since", "until", "limit", "cursor"), List.of());
        TimeWindow window = TimeWindows.read(p, Instant.now(), settings);
        int size = p.integer("limit", EventFilter.DEFAULT_LIMIT, 1, EventFilter.MAX_LIMIT);
        EventCursor after = null;
        if (p.text("cursor") != null) {
            try {
                after = EventCursor.decode(p.text("cursor"));
            } catch (IllegalArgumentException e) {
                p.problem(e.getMessage());
            }
        }
        p.done();
        SessionQuery.Page page = sessions.find(window, p.text("agent"), size, after);
        return new SessionPage(window.since(), window.until(), page.sessions().stream().map(SessionView::of).toList(),
                page.next() == null ? null : page.next().encode());
    }

    /**
     * @param since    the window's start: sessions that started at or after it
     * @param until    the window's end
     * @param sessions newest first
     * @param next     pass as {@code cursor} for the following page; null on the last page
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SessionPage(Instant since, Instant until, List<SessionView> sessions, @Nullable String next) {
    }

    /**
     * A session as the API shows it.
     *
     * @param sessionId            the session id (its timeline: /api/v1/timelines/session/{id})
     * @param agent                the agent's reported name
     * @param agentId              the agent whose token shipped it
     * @param host                 the host
     * @param version              the agent's version
     * @param pid                  the agent's process id
     * @param startedAt            when it started
     * @param endedAt              when it ended cleanly; null otherwise
     * @param state                {@code ended} (it said so), {@code ended_uncleanly} (the agent started another
     *                             session without ending this one: crash, kill, power loss) or {@code open}
     *                             (neither yet: running, or stopped without word and not started again)
     * @param endedCleanly         true, false, or null while open
     * @param uptimeSeconds        the uptime the end event reported; null without one
     * @param lastEventAt          the session's newest stored event (for an unclean end: about when it died)
     * @param counts               the end event's counts; null without one
     * @param previousSessionId    the session before it, as the agent remembered it
     * @param previousEndedCleanly whether that one ended cleanly, as the agent found it (null on a first start)
     * @param nextSessionId        the agent's next session, if any
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SessionView(String sessionId, @Nullable String agent, @Nullable Long agentId, @Nullable String host,
                       @Nullable Object version, @Nullable Object pid, Instant startedAt, @Nullable Instant endedAt,
                       String state, @Nullable Boolean endedCleanly, @Nullable Object uptimeSeconds,
                       @Nullable Instant lastEventAt, @Nullable Map<String, Object> counts,
                       @Nullable Object previousSessionId, @Nullable Object previousEndedCleanly,
                       @Nullable String nextSessionId) {

        static SessionView of(SessionQuery.Session s) {
            Boolean clean;
            String state;
            Map<String, Object> counts = null;
            if (s.ended() != null) {
                state = "ended";
                clean = true;
                counts = new LinkedHashMap<>();
                for (String key : COUNTS) {
                    counts.put(key, s.ended().get(key));
                }
            } else if (s.nextStartedAt() != null) {
                state = "ended_uncleanly";
                clean = false;
            } else {
                state = "open";
                clean = null;
            }
            return new SessionView(s.sessionId(), s.agent(), s.agentId(), s.host(), s.started().get("version"),
                    s.started().get("pid"), s.startedAt(), s.endedAt(), state, clean,
                    s.ended() == null ? null : s.ended().get("uptime_s"), s.lastEventAt(), counts,
                    s.started().get("previous_session_id"), s.started().get("previous_ended_cleanly"),
                    s.nextSessionId());
        }
    }
}

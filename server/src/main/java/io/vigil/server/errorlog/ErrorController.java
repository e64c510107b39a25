package io.vigil.server.errorlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.AgentCaller;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;
import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/errors}: agents report their errors; viewers list and count error groups;
 * operators resolve, reopen and assign them (who and when is recorded from the caller).
 */
@Controller("/api/v1/errors")
@ExecuteOn(TaskExecutors.BLOCKING)
class ErrorController {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorController.class);
    private static final int MAX_NOTE = 2000;
    private static final int MAX_ASSIGNEE = 200;

    private final ReportBatchReader reader;
    private final ErrorLog log;
    private final ErrorGroups groups;
    private final ErrorStatistics statistics;
    private final Clock clock;

    ErrorController(ReportBatchReader reader, ErrorLog log, ErrorGroups groups, ErrorStatistics statistics,
                    @Named("errorlog") Clock clock) {
        this.reader = reader;
        this.log = log;
        this.groups = groups;
        this.statistics = statistics;
        this.clock = clock;
    }

    /** An agent's aggregated errors: {@code {"reports": [{component, severity, message, ...}]}}. */
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.AGENT)
    HttpResponse<?> report(@Nullable @Body InputStream body, @RequestAttribute(Caller.ATTRIBUTE) AgentCaller agent)
            throws IOException {
        List<ErrorReport> reports;
        try {
            reports = reader.read(body, agent.name(), clock.instant());
        } catch (ReportBatchReader.Refused e) {
            LOG.info("error reports from {}: refused ({})", agent.name(), e.tooLarge ? "too large" : "invalid");
            HttpStatus status = e.tooLarge ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST;
            return HttpResponse.status(status).body(ApiError.of(e.getMessage()));
        }
        ErrorLog.Recorded r = log.record(reports, "agent");
        return HttpResponse.ok(new RecordedView(r.reports(), r.occurrences(), r.newGroups(), r.reopened()));
    }

    /**
     * Error groups, newest {@code last_seen} first, one page at a time.
     *
     * @param component components (comma-separated, any matches)
     * @param source    sources: agent names or {@code server:<host>}
     * @param severity  {@code warn}, {@code error}, {@code critical} (comma-separated)
     * @param status    {@code open} or {@code resolved}
     * @param since     {@code last_seen} at or after (ISO-8601)
     * @param until     {@code last_seen} before (ISO-8601)
     * @param limit     1 to 500 (default 50)
     * @param cursor    the {@code next} value of the previous page
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    GroupPage list(HttpRequest<?> request, @Nullable @QueryValue String component, @Nullable @QueryValue String source,
                   @Nullable @QueryValue String severity, @Nullable @QueryValue String status,
                   @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                   @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        QueryParameters q = new QueryParameters(request.getParameters().asMap());
        q.rejectUnknown(List.of("component", "source", "severity", "status", "since", "until", "limit", "cursor"),
                List.of());
        List<ErrorSeverity> severities = new ArrayList<>();
        for (String s : q.list("severity")) {
            ErrorSeverity.fromWireName(s).ifPresentOrElse(severities::add,
                    () -> q.problem("severity: expected " + ErrorSeverity.NAMES + ", got \"" + s + "\""));
        }
        String st = q.text("status");
        if (st != null && !st.equals("open") && !st.equals("resolved")) {
            q.problem("status: expected open or resolved, got \"" + st + "\"");
        }
        ErrorCursor after = null;
        if (q.text("cursor") != null) {
            try {
                after = ErrorCursor.decode(q.text("cursor"));
            } catch (IllegalArgumentException e) {
                q.problem(e.getMessage());
            }
        }
        ErrorGroups.Filter filter = new ErrorGroups.Filter(q.list("component"), q.list("source"), severities, st,
                q.time("since"), q.time("until"), q.integer("limit", 50, 1, 500), after);
        q.done();
        ErrorGroups.Page page = groups.list(filter);
        return new GroupPage(page.groups().stream().map(g -> GroupView.of(g, false)).toList(),
                page.next() == null ? null : page.next().encode());
    }

    /**
     * Counts over a window (default the last 24 hours): by severity, the top 10 groups, occurrences
     * per hour over the last 24 hours and the average per day over the last 7 complete days.
     *
     * @param since window start (ISO-8601), or give {@code hours}
     * @param until window end (default now)
     * @param hours the last N hours, 1 to 720 (default 24)
     */
    @Get(uri = "/stats", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    StatsView stats(HttpRequest<?> request, @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                    @Nullable @QueryValue String hours) {
        QueryParameters q = new QueryParameters(request.getParameters().asMap());
        q.rejectUnknown(List.of("since", "until", "hours"), List.of());
        Instant now = clock.instant();
        TimeWindow window = q.window(now, 24, 720);
        q.done();
        return StatsView.of(statistics.of(window, now));
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> get(@PathVariable long id) {
        return groups.find(id, clock.instant())
                .<HttpResponse<?>>map(d -> HttpResponse.ok(new DetailView(GroupView.of(d.group(), true),
                        d.activity().stream().map(ActivityView::of).toList(),
                        d.hourly().stream().map(HourView::of).toList())))
                .orElseGet(() -> notFound(id));
    }

    @Post(uri = "/{id}/resolve", produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> resolve(@PathVariable long id, @Nullable @Body ResolveRequest body,
                            @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        String note = body == null || body.note() == null || body.note().isBlank() ? null : body.note().strip();
        if (note != null && note.length() > MAX_NOTE) {
            return HttpResponse.badRequest(ApiError.of("note: at most " + MAX_NOTE + " characters"));
        }
        return answer(id, groups.resolve(id, note, caller.displayName(), clock.instant()));
    }

    @Post(uri = "/{id}/reopen", produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> reopen(@PathVariable long id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return answer(id, groups.reopen(id, caller.displayName(), clock.instant()));
    }

    /** {@code {"assignee": "alice"}}; an empty string unassigns. */
    @Post(uri = "/{id}/assign", produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> assign(@PathVariable long id, @Nullable @Body AssignRequest body,
                           @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (body == null || body.assignee() == null) {
            return HttpResponse.badRequest(ApiError.of("assignee: required, a name (or \"\" to unassign)"));
        }
        String assignee = body.assignee().strip();
        if (assignee.length() > MAX_ASSIGNEE) {
            return HttpResponse.badRequest(ApiError.of("assignee: at most " + MAX_ASSIGNEE + " characters"));
        }
        return answer(id, groups.assign(id, assignee.isEmpty() ? null : assignee, caller.displayName(),
                clock.instant()));
    }

    private static HttpResponse<?> answer(long id, ErrorGroups.Change change) {
        if (change instanceof ErrorGroups.Change.Done d) {
            return HttpResponse.ok(GroupView.of(d.group(), false));
        }
        if (change instanceof ErrorGroups.Change.Conflict c) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(ApiError.of(c.reason()));
        }
        return notFound(id);
    }

    private static HttpResponse<?> notFound(long id) {
        return HttpResponse.notFound(ApiError.of("no error group with id " + id));
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record ResolveRequest(@Nullable String note) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record AssignRequest(@Nullable String assignee) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record RecordedView(int recorded, long occurrences, int newGroups, int reopened) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record GroupPage(List<GroupView> groups, @Nullable String next) {
    }

    /** A group; {@code stack} only in the single-group answer. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record GroupView(long id, String source, String fingerprint, String component, String severity, String message,
                     @Nullable String exceptionType, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String stack,
                     Instant firstSeen, Instant lastSeen, long occurrences, String status,
                     @Nullable String resolvedBy, @Nullable Instant resolvedAt, @Nullable String resolutionNote,
                     @Nullable String assignee, int reopenCount, @Nullable Instant lastReopenedAt) {
        static GroupView of(ErrorGroup g, boolean withStack) {
            return new GroupView(g.id(), g.source(), g.fingerprint(), g.component(), g.severity().wireName(),
                    g.message(), g.exceptionType(), withStack ? g.stack() : null, g.firstSeen(), g.lastSeen(),
                    g.occurrences(), g.status(), g.resolvedBy(), g.resolvedAt(), g.resolutionNote(), g.assignee(),
                    g.reopenCount(), g.lastReopenedAt());
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ActivityView(Instant at, String actor, String action, @Nullable String note) {
        static ActivityView of(ErrorActivity a) {
            return new ActivityView(a.at(), a.actor(), a.action(), a.note());
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record HourView(Instant hour, long occurrences) {
        static HourView of(ErrorGroups.HourCount h) {
            return new HourView(h.hour(), h.occurrences());
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record DetailView(GroupView group, List<ActivityView> activity, List<HourView> hourly) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record SeverityView(long groups, long occurrences, long openGroups) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record TopView(GroupView group, long occurrences) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record AverageView(Instant from, Instant until, int days, long occurrences, double value) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record StatsView(Instant since, Instant until, Map<String, SeverityView> bySeverity, List<TopView> top,
                     List<HourView> hourly, AverageView averagePerDay) {
        static StatsView of(ErrorStatistics.Stats s) {
            Map<String, SeverityView> by = new java.util.LinkedHashMap<>();
            s.bySeverity().forEach((sev, c) -> by.put(sev.wireName(),
                    new SeverityView(c.groups(), c.occurrences(), c.openGroups())));
            return new StatsView(s.window().since(), s.window().until(), by,
                    s.top().stream().map(t -> new TopView(GroupView.of(t.group(), false), t.occurrences())).toList(),
                    s.hourly().stream().map(HourView::of).toList(),
                    new AverageView(s.averageFrom(), s.averageUntil(), ErrorStatistics.AVERAGE_DAYS, s.weekOccurrences(),
                            s.weekOccurrences() / (double) ErrorStatistics.AVERAGE_DAYS));
        }
    }
}

package io.vigil.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
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
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;
import io.vigil.server.event.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/alerts}: viewers list and read alerts; operators acknowledge, resolve and comment.
 * Every action is recorded with who and when in the alert's activity.
 */
@Controller("/api/v1/alerts")
@ExecuteOn(TaskExecutors.BLOCKING)
class AlertController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final AlertQuery query;
    private final AlertService service;

    AlertController(AlertQuery query, AlertService service) {
        this.query = query;
        this.service = service;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> list(@Nullable @QueryValue String state,
                         @Nullable @QueryValue("severity_min") String severityMin,
                         @Nullable @QueryValue String rule,
                         @Nullable @QueryValue("match") List<String> match,
                         @Nullable @QueryValue String limit,
                         @Nullable @QueryValue String before) {
        List<String> problems = new ArrayList<>();
        Set<AlertState> states = EnumSet.noneOf(AlertState.class);
        if (state != null && !state.isBlank()) {
            for (String s : state.split(",")) {
                String t = s.strip();
                if (t.equals("open")) {
                    states.add(AlertState.FIRING);
                    states.add(AlertState.ACKNOWLEDGED);
                } else {
                    AlertState.fromWireName(t).ifPresentOrElse(states::add, () -> problems.add(
                            "state: unknown state \"" + t + "\": expected firing, acknowledged, resolved or open"));
                }
            }
        }
        Severity min = null;
        if (severityMin != null) {
            min = Severity.fromWireName(severityMin).orElse(null);
            if (min == null) {
                problems.add("severity_min: unknown severity \"" + severityMin + "\": expected one of " + Severity.NAMES);
            }
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (String m : match == null ? List.<String>of() : match) {
            try {
                matchers.add(LabelMatcher.parse(m));
            } catch (IllegalArgumentException e) {
                problems.add("match: " + e.getMessage());
            }
        }
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                problems.add("limit: expected a number from 1 to " + MAX_LIMIT + ", got \"" + limit + "\"");
            }
        }
        Long cursor = null;
        if (before != null) {
            try {
                cursor = Long.parseLong(before);
            } catch (NumberFormatException e) {
                problems.add("before: expected the \"next\" value of the previous page, got \"" + before + "\"");
            }
        }
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of(String.join("; ", problems)));
        }
        AlertQuery.Page page = query.find(new AlertQuery.Filter(states, min, rule, matchers, n, cursor));
        return HttpResponse.ok(new AlertPage(page.alerts().stream().map(AlertView::of).toList(),
                page.next() == null ? null : page.next().toString()));
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> get(@PathVariable long id) {
        Alert a = query.find(id).orElseThrow(() -> new AlertNotFoundException(id));
        return HttpResponse.ok(new AlertDetail(AlertView.of(a),
                query.events(id).stream().map(EventView::of).toList(),
                query.activity(id).stream().map(ActivityView::of).toList()));
    }

    @Post(uri = "/{id}/acknowledge", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    AlertView acknowledge(@PathVariable long id, @Nullable @Body ActionRequest body,
                          @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return AlertView.of(service.acknowledge(id, caller.displayName(), body == null ? null : body.comment()));
    }

    @Post(uri = "/{id}/resolve", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    AlertView resolve(@PathVariable long id, @Nullable @Body ActionRequest body,
                      @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return AlertView.of(service.resolve(id, caller.displayName(), body == null ? null : body.comment()));
    }

    @Post(uri = "/{id}/comments", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> comment(@PathVariable long id, @Nullable @Body ActionRequest body,
                            @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (body == null || body.comment() == null || body.comment().isBlank()) {
            return HttpResponse.badRequest(ApiError.of("comment is required: {\"comment\": \"...\"}"));
        }
        service.comment(id, caller.displayName(), body.comment());
        return HttpResponse.created(query.activity(id).stream().map(ActivityView::of).toList());
    }

    @Error(exception = AlertNotFoundException.class)
    HttpResponse<ApiError> notFound(AlertNotFoundException e) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(ApiError.of(e.getMessage()));
    }

    @Error(exception = AlertConflictException.class)
    HttpResponse<ApiError> conflict(AlertConflictException e) {
        return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    /** @param comment why (kept in the audit trail; for resolve, the resolution), at most 1000 characters */
    @Serdeable
    record ActionRequest(@Nullable String comment) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AlertPage(List<AlertView> alerts, @Nullable String next) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AlertDetail(AlertView alert, List<EventView> events, List<ActivityView> activity) {
    }

    /** An alert as the API shows it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AlertView(long id, String rule, String kind, String fingerprint, String state, String severity, String title,
                     String message, Map<String, String> labels, int count, Instant firstSeenAt, Instant lastSeenAt,
                     @Nullable Double value, int escalationLevel, @Nullable Instant acknowledgedAt,
                     @Nullable String acknowledgedBy, @Nullable Instant resolvedAt, @Nullable String resolvedBy,
                     @Nullable String resolution) {
        static AlertView of(Alert a) {
            return new AlertView(a.id(), a.ruleId(), a.ruleKind(), a.fingerprint(), a.state().wireName(),
                    a.severity().wireName(), a.title(), a.message(), a.labels(), a.count(), a.firstSeenAt(),
                    a.lastSeenAt(), a.value(), a.escalationLevel(), a.acknowledgedAt(), a.acknowledgedBy(),
                    a.resolvedAt(), a.resolvedBy(), a.resolution());
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record EventView(UUID id, Instant time, @Nullable String host, @Nullable String plugin, String type, String severity,
                     String subject, String title, Map<String, Object> attributes) {
        static EventView of(AlertQuery.LinkedEvent e) {
            return new EventView(e.id(), e.time(), e.host(), e.plugin(), e.type(), e.severity().wireName(), e.subject(),
                    e.title(), e.attributes());
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ActivityView(Instant at, String actor, String action, @Nullable String comment) {
        static ActivityView of(AlertQuery.Activity a) {
            return new ActivityView(a.at(), a.actor(), a.action(), a.comment());
        }
    }
}

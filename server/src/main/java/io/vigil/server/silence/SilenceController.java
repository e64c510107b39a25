package io.vigil.server.silence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.configfile.Durations;
import io.vigil.server.error.ApiError;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/silences}: viewers list silences; operators create, change and expire them. A
 * silence suppresses notifications (and escalation) of matching alerts; the alerts are still
 * recorded.
 */
@Controller("/api/v1/silences")
@ExecuteOn(TaskExecutors.BLOCKING)
class SilenceController {

    private static final int MAX_MATCHERS = 20;
    private static final int MAX_COMMENT = 1000;
    private static final int LIMIT = 500;

    private final SilenceStore store;
    private final Silences silences;
    private final Clock clock;

    SilenceController(SilenceStore store, Silences silences, @Named("alerting") Clock clock) {
        this.store = store;
        this.silences = silences;
        this.clock = clock;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> list(@Nullable @QueryValue String state) {
        Instant now = clock.instant();
        if (state != null && !List.of("active", "pending", "expired").contains(state)) {
            return HttpResponse.badRequest(ApiError.of("state: expected active, pending or expired, got \"" + state + "\""));
        }
        List<SilenceView> out = store.list(state == null || state.equals("expired") ? null : now, LIMIT).stream()
                .filter(s -> state == null || s.stateAt(now).equals(state))
                .map(s -> SilenceView.of(s, now)).toList();
        return HttpResponse.ok(new SilenceList(out));
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> get(@PathVariable long id) {
        return store.find(id).<HttpResponse<?>>map(s -> HttpResponse.ok(SilenceView.of(s, clock.instant())))
                .orElseGet(() -> HttpResponse.notFound(ApiError.of("no silence with id " + id)));
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> create(@Body SilenceRequest body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Instant now = clock.instant();
        Validated v = validate(body, now);
        if (v.problems().size() > 0) {
            return HttpResponse.badRequest(ApiError.of(String.join("; ", v.problems())));
        }
        Silence s = store.create(v.matchers(), v.startsAt(), v.endsAt(), v.comment(), caller.displayName(), now);
        silences.invalidate();
        return HttpResponse.created(SilenceView.of(s, now));
    }

    @Put(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.OPERATOR)
    HttpResponse<?> update(@PathVariable long id, @Body SilenceRequest body,
                           @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Instant now = clock.instant();
        Validated v = validate(body, now);
        if (v.problems().size() > 0) {
            return HttpResponse.badRequest(ApiError.of(String.join("; ", v.problems())));
        }
        var updated = store.update(id, v.matchers(), v.startsAt(), v.endsAt(), v.comment(), caller.displayName(), now);
        silences.invalidate();
        return updated.<HttpResponse<?>>map(s -> HttpResponse.ok(SilenceView.of(s, now)))
                .orElseGet(() -> HttpResponse.notFound(ApiError.of("no silence with id " + id)));
    }

    /** Expires the silence now; it stays listed as expired. */
    @Delete("/{id}")
    @Access(Role.OPERATOR)
    HttpResponse<?> expire(@PathVariable long id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Instant now = clock.instant();
        var expired = store.expire(id, caller.displayName(), now);
        silences.invalidate();
        return expired.<HttpResponse<?>>map(s -> HttpResponse.ok(SilenceView.of(s, now)))
                .orElseGet(() -> HttpResponse.notFound(ApiError.of("no silence with id " + id)));
    }

    private record Validated(List<String> matchers, Instant startsAt, Instant endsAt, String comment,
                             List<String> problems) {
    }

    private static Validated validate(SilenceRequest body, Instant now) {
        List<String> problems = new ArrayList<>();
        List<String> matchers = new ArrayList<>();
        if (body.matchers() == null || body.matchers().isEmpty()) {
            problems.add("matchers: at least one is required, e.g. [\"team=db\", \"severity<=high\"]");
        } else if (body.matchers().size() > MAX_MATCHERS) {
            problems.add("matchers: at most " + MAX_MATCHERS);
        } else {
            for (String m : body.matchers()) {
                try {
                    matchers.add(LabelMatcher.parse(m == null ? "" : m).toString());
                } catch (IllegalArgumentException e) {
                    problems.add("matchers: " + e.getMessage());
                }
            }
        }
        Instant starts = now;
        if (body.startsAt() != null) {
            starts = time(body.startsAt(), "starts_at", problems);
        }
        Instant ends = null;
        if (body.endsAt() != null && body.duration() != null) {
            problems.add("give ends_at or duration, not both");
        } else if (body.endsAt() != null) {
            ends = time(body.endsAt(), "ends_at", problems);
        } else if (body.duration() != null) {
            Duration d = Durations.parse(body.duration()).orElse(null);
            if (d == null || d.isZero()) {
                problems.add("duration: expected a duration like 30m or 2h, got \"" + body.duration() + "\"");
            } else if (starts != null) {
                ends = starts.plus(d);
            }
        } else {
            problems.add("ends_at or duration is required (a silence always ends)");
        }
        if (starts != null && ends != null && !ends.isAfter(starts)) {
            problems.add("ends_at must be after starts_at");
        }
        String comment = body.comment() == null ? "" : body.comment().strip();
        if (comment.length() > MAX_COMMENT) {
            problems.add("comment: at most " + MAX_COMMENT + " characters");
        }
        return new Validated(matchers, starts == null ? now : starts, ends == null ? now : ends, comment, problems);
    }

    private static @Nullable Instant time(String text, String field, List<String> problems) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field + ": expected a time like 2026-12-01T02:00:00Z, got \"" + text + "\"");
            return null;
        }
    }

    /**
     * @param matchers label matchers, all must hold ({@code team="db"}, {@code severity>=high})
     * @param startsAt default now
     * @param endsAt   the end; or give {@code duration} ({@code 2h}) from the start
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record SilenceRequest(@Nullable List<String> matchers, @Nullable String startsAt, @Nullable String endsAt,
                          @Nullable String duration, @Nullable String comment) {
    }

    @Serdeable
    record SilenceList(List<SilenceView> silences) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SilenceView(long id, String state, List<String> matchers, Instant startsAt, Instant endsAt, String comment,
                       String createdBy, Instant createdAt, @Nullable String updatedBy, @Nullable Instant updatedAt) {
        static SilenceView of(Silence s, Instant now) {
            return new SilenceView(s.id(), s.stateAt(now), s.matchers(), s.startsAt(), s.endsAt(), s.comment(),
                    s.createdBy(), s.createdAt(), s.updatedBy(), s.updatedAt());
        }
    }
}

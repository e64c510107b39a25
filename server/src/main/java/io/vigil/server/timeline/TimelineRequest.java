package io.vigil.server.timeline;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.EventCursor;
import io.vigil.server.event.EventFilter;
import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A timeline request, read into the {@link EventFilter} of {@code GET /api/v1/events}, so that a
 * timeline is exactly "the events of this trace / session / subject, oldest first" and pages the
 * same way ({@link io.vigil.server.event.EventQuery}, keyset on (time, id)).
 *
 * @param scope  what the timeline follows
 * @param key    the trace id, session id or subject
 * @param filter the events, oldest first
 * @param top    for statistics: how many types {@code top_types} lists
 */
record TimelineRequest(TimelineScope scope, String key, EventFilter filter, int top) {

    /** Parameters of a subject timeline besides the page ones. */
    private static final List<String> SUBJECT_FILTERS = List.of("plugin", "type", "since", "until");

    /**
     * Reads a timeline page request ({@code limit}, {@code after}; for a subject also {@code plugin},
     * {@code type}, {@code since}, {@code until}).
     *
     * @throws io.vigil.server.query.InvalidQueryException naming every bad parameter
     */
    static TimelineRequest page(TimelineScope scope, String key, Map<String, List<String>> parameters, Instant now,
                                TimelineSettings settings) {
        return read(scope, key, parameters, now, settings, List.of("limit", "after"));
    }

    /**
     * Reads a statistics request: the same scope and filters, with {@code top} instead of paging.
     *
     * @throws io.vigil.server.query.InvalidQueryException naming every bad parameter
     */
    static TimelineRequest statistics(TimelineScope scope, String key, Map<String, List<String>> parameters,
                                      Instant now, TimelineSettings settings) {
        return read(scope, key, parameters, now, settings, List.of("top"));
    }

    private static TimelineRequest read(TimelineScope scope, String key, Map<String, List<String>> parameters,
                                        Instant now, TimelineSettings settings, List<String> own) {
        QueryParameters p = new QueryParameters(parameters);
        List<String> known = new ArrayList<>(own);
        if (scope.windowed()) {
            known.addAll(SUBJECT_FILTERS);
        }
        p.rejectUnknown(known, List.of());
        if (key.length() > scope.maxLength()) {
            p.problem(scope.wireName() + " is " + key.length() + " characters, the limit is " + scope.maxLength());
        }
        int limit = p.integer("limit", EventFilter.DEFAULT_LIMIT, 1, EventFilter.MAX_LIMIT);
        int top = p.integer("top", 10, 1, 1000);
        EventCursor after = null;
        String afterText = p.text("after");
        if (afterText != null) {
            try {
                after = EventCursor.decode(afterText);
            } catch (IllegalArgumentException e) {
                p.problem("after is not a cursor of this API: pass the 'next' value of the previous page unchanged");
            }
        }
        List<String> plugins = List.of();
        List<String> types = List.of();
        TimeWindow window = null;
        if (scope.windowed()) {
            plugins = p.list("plugin");
            types = EventFilter.types(p);
            window = TimeWindows.read(p, now, settings);
        }
        p.done();
        EventFilter filter = new EventFilter(limit, types, Set.of(), List.of(), List.of(), plugins, List.of(),
                scope == TimelineScope.SUBJECT ? List.of(key) : List.of(),
                scope == TimelineScope.TRACE ? key : null, scope == TimelineScope.SESSION ? key : null, null, Map.of(),
                null, window == null ? null : window.since(), window == null ? null : window.until(), true, after);
        return new TimelineRequest(scope, key, filter, top);
    }

    /** The cursor the page continues after, or null for the first page. */
    @Nullable EventCursor after() {
        return filter.cursor();
    }
}

package io.vigil.server.timeline;

import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code since}/{@code until} window of subject timelines and the session list: {@code until}
 * defaults to now, {@code since} to {@code vigil.timeline.default-window} before {@code until}; a
 * window wider than {@code vigil.timeline.max-window} is refused.
 */
final class TimeWindows {

    private TimeWindows() {
    }

    /** Reads the window; problems go to {@code p} (a 400 at {@link QueryParameters#done()}). */
    static TimeWindow read(QueryParameters p, Instant now, TimelineSettings settings) {
        Instant since = p.time("since");
        Instant until = p.time("until");
        Instant end = until != null ? until : now;
        Instant start = since != null ? since : end.minus(settings.getDefaultWindow());
        if (!start.isBefore(end)) {
            p.problem("since (" + start + ") must be before until (" + end + ")");
        } else if (Duration.between(start, end).compareTo(settings.getMaxWindow()) > 0) {
            p.problem("the window from since (" + start + ") to until (" + end + ") is longer than "
                    + QueryParameters.format(settings.getMaxWindow()) + " (vigil.timeline.max-window): narrow it");
        }
        return new TimeWindow(start, end);
    }
}

package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of {@code GET /api/v1/events}, validated.
 *
 * @param limit      page size, 1 to {@link #MAX_LIMIT}
 * @param type       exact event type
 * @param severityMin lowest severity included
 * @param plugin     exact plugin id
 * @param monitor    exact monitor name
 * @param since      inclusive lower bound on time
 * @param until      exclusive upper bound on time
 * @param before     continue after this cursor
 */
public record EventFilter(int limit, @Nullable String type, @Nullable Severity severityMin,
                          @Nullable String plugin, @Nullable String monitor, @Nullable Instant since,
                          @Nullable Instant until, @Nullable EventCursor before) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /**
     * Parses the raw query parameters, reporting every bad one at once.
     *
     * @throws InvalidQueryException listing each problem
     */
    public static EventFilter parse(@Nullable String limit, @Nullable String type, @Nullable String severityMin,
                                    @Nullable String plugin, @Nullable String monitor, @Nullable String since,
                                    @Nullable String until, @Nullable String before) {
        List<String> problems = new ArrayList<>();
        int size = DEFAULT_LIMIT;
        if (present(limit)) {
            try {
                size = Integer.parseInt(limit.strip());
                if (size < 1 || size > MAX_LIMIT) {
                    problems.add("limit must be between 1 and " + MAX_LIMIT + ", got " + size);
                }
            } catch (NumberFormatException e) {
                problems.add("limit must be a whole number between 1 and " + MAX_LIMIT + ", got \"" + limit + "\"");
            }
        }
        Severity min = null;
        if (present(severityMin)) {
            min = Severity.fromWireName(severityMin.strip()).orElse(null);
            if (min == null) {
                problems.add("severity_min must be one of " + Severity.NAMES + ", got \"" + severityMin + "\"");
            }
        }
        Instant from = time("since", since, problems);
        Instant to = time("until", until, problems);
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("since (" + from + ") must be before until (" + to + ")");
        }
        EventCursor cursor = null;
        if (present(before)) {
            try {
                cursor = EventCursor.decode(before);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidQueryException(problems);
        }
        return new EventFilter(size, blankToNull(type), min, blankToNull(plugin), blankToNull(monitor), from, to, cursor);
    }

    private static @Nullable Instant time(String name, @Nullable String text, List<String> problems) {
        if (!present(text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(name + " must be an ISO-8601 time such as 2026-11-27T10:00:00Z, got \"" + text + "\"");
            return null;
        }
    }

    private static boolean present(@Nullable String s) {
        return s != null && !s.isBlank();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return present(s) ? s.strip() : null;
    }
}

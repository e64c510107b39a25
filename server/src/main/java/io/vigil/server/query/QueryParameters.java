package io.vigil.server.query;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the query parameters of a read endpoint, collecting every problem so that one 400 names
 * them all ({@link #done()} throws it). The shared vocabulary: times are ISO-8601 with an offset,
 * windows are {@code since}/{@code until} or {@code hours}, durations are {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 7d}.
 */
public final class QueryParameters {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final Map<String, List<String>> values;
    private final List<String> problems = new ArrayList<>();

    /** @param values every query parameter by name, as the request has them */
    public QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** The parameters whose name starts with {@code prefix} (e.g. {@code attr.}), prefix removed, first value each. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, list) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length() && !list.isEmpty()) {
                out.put(name.substring(prefix.length()), list.get(0));
            }
        });
        return out;
    }

    /** Reports a parameter that is neither one of {@code known} nor starts with one of {@code prefixes}. */
    public void rejectUnknown(List<String> known, List<String> prefixes) {
        for (String name : values.keySet()) {
            if (!known.contains(name) && prefixes.stream().noneMatch(name::startsWith)) {
                List<String> all = new ArrayList<>(known);
                prefixes.forEach(p -> all.add(p + "<key>"));
                problem("unknown parameter \"" + name + "\"; known: " + String.join(", ", all));
            }
        }
    }

    /** The parameter's value, stripped; {@code null} when absent or blank. */
    public @Nullable String text(String name) {
        List<String> list = values.get(name);
        if (list == null || list.isEmpty() || list.get(0) == null || list.get(0).isBlank()) {
            return null;
        }
        return list.get(0).strip();
    }

    /** A comma-separated list ({@code a,b}); empty when absent. */
    public List<String> list(String name) {
        String t = text(name);
        if (t == null) {
            return List.of();
        }
        return Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** A whole number within [min, max], or {@code fallback} when absent. */
    public int integer(String name, int fallback, int min, int max) {
        String t = text(name);
        if (t == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(t);
            if (v < min || v > max) {
                problem(name + " must be between " + min + " and " + max + ", got " + v);
                return fallback;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(name + " must be a whole number between " + min + " and " + max + ", got \"" + t + "\"");
            return fallback;
        }
    }

    /** A finite number, or {@code null} when absent. */
    public @Nullable Double number(String name) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name + " must be a number, got \"" + t + "\"");
        return null;
    }

    /** An ISO-8601 time with offset, or {@code null} when absent. */
    public @Nullable Instant time(String name) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            problem(name + " must be an ISO-8601 time such as 2026-11-27T10:00:00Z, got \"" + t + "\"");
            return null;
        }
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, within [min, max]; {@code fallback} when absent. */
    public @Nullable Duration duration(String name, @Nullable Duration fallback, Duration min, Duration max) {
        String t = text(name);
        if (t == null) {
            return fallback;
        }
        Duration d = parseDuration(t);
        if (d == null) {
            problem(name + " must be a duration such as 30s, 5m, 1h or 7d, got \"" + t + "\"");
            return fallback;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(name + " must be between " + format(min) + " and " + format(max) + ", got " + t);
            return fallback;
        }
        return d;
    }

    /**
     * The time window {@code [since, until)}: from {@code since}/{@code until}, or the last
     * {@code hours} before {@code now} (1 to {@code maxHours}), or the last {@code defaultHours}
     * when none is given. {@code since} without {@code until} runs to {@code now}.
     */
    public TimeWindow window(Instant now, int defaultHours, int maxHours) {
        Instant since = time("since");
        Instant until = time("until");
        String hoursText = text("hours");
        if (hoursText != null && (since != null)) {
            problem("give either hours or since/until, not both");
        }
        Instant end = until != null ? until : now;
        Instant start;
        if (since != null) {
            start = since;
        } else {
            int hours = integer("hours", defaultHours, 1, maxHours);
            start = end.minus(Duration.ofHours(hours));
        }
        if (!start.isBefore(end)) {
            problem("since (" + start + ") must be before until (" + end + ")");
        }
        return new TimeWindow(start, end);
    }

    /** Records a problem; {@link #done()} reports it. */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws {@link InvalidQueryException} listing every problem recorded, if any. */
    public void done() {
        if (!problems.isEmpty()) {
            throw new InvalidQueryException(problems);
        }
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 250ms}; {@code null} if it is not one. */
    public static @Nullable Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A duration the way {@link #parseDuration} reads it, in the largest whole unit. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}

package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.query.QueryParameters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of {@code GET /api/v1/events}, validated. Every condition given must hold (AND);
 * a list parameter ({@code type=a,b}) matches any of its values.
 *
 * @param limit       page size, 1 to {@link #MAX_LIMIT}
 * @param types       exact event types; a value ending in {@code .*} matches the prefix
 * @param severities  severities included (from {@code severity} and/or {@code severity_min}); empty: all
 * @param hosts       exact host names
 * @param agents      agent names as the agents reported them
 * @param plugins     exact plugin ids
 * @param monitors    exact monitor names
 * @param subjects    exact subjects
 * @param traceId     one monitor run
 * @param sessionId   one agent process lifetime
 * @param fingerprint one dedup key
 * @param attributes  attribute equalities ({@code attr.asset=BTC}): key to the text given
 * @param text        case-insensitive substring of the title
 * @param since       inclusive lower bound on time
 * @param until       exclusive upper bound on time
 * @param ascending   oldest first (default newest first)
 * @param cursor      continue after this cursor
 */
public record EventFilter(int limit, List<String> types, Set<Severity> severities, List<String> hosts,
                          List<String> agents, List<String> plugins, List<String> monitors, List<String> subjects,
                          @Nullable String traceId, @Nullable String sessionId, @Nullable String fingerprint,
                          Map<String, String> attributes, @Nullable String text, @Nullable Instant since,
                          @Nullable Instant until, boolean ascending, @Nullable EventCursor cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** The parameters this filter reads, besides {@code attr.<key>}. */
    public static final List<String> PARAMETERS = List.of("limit", "type", "severity", "severity_min", "host",
            "agent", "plugin", "monitor", "subject", "trace_id", "session_id", "fingerprint", "q", "since", "until",
            "hours", "order", "cursor", "before");

    /** A filter matching every event, newest first. */
    public static EventFilter all(int limit) {
        return new EventFilter(limit, List.of(), Set.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                null, null, null, Map.of(), null, null, null, false, null);
    }

    /**
     * Reads the query parameters, reporting every bad one at once.
     *
     * @throws io.vigil.server.query.InvalidQueryException listing each problem
     */
    public static EventFilter parse(QueryParameters p, Instant now) {
        p.rejectUnknown(PARAMETERS, List.of("attr."));
        int limit = p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Set<Severity> severities = new TreeSet<>();
        for (String name : p.list("severity")) {
            Severity s = Severity.fromWireName(name).orElse(null);
            if (s == null) {
                p.problem("severity must be one or more of " + Severity.NAMES + " (comma-separated), got \"" + name + "\"");
            } else {
                severities.add(s);
            }
        }
        String minText = p.text("severity_min");
        if (minText != null) {
            Severity min = Severity.fromWireName(minText).orElse(null);
            if (min == null) {
                p.problem("severity_min must be one of " + Severity.NAMES + ", got \"" + minText + "\"");
            } else {
                Set<Severity> atLeast = new TreeSet<>();
                for (Severity s : Severity.values()) {
                    if (s.compareTo(min) >= 0 && (severities.isEmpty() || severities.contains(s))) {
                        atLeast.add(s);
                    }
                }
                if (atLeast.isEmpty()) {
                    p.problem("severity " + p.text("severity") + " and severity_min " + minText + " exclude every event");
                }
                severities = atLeast;
            }
        }
        if (severities.size() == Severity.values().length) {
            severities = Set.of(); // no restriction
        }
        Instant since = p.time("since");
        Instant until = p.time("until");
        String hours = p.text("hours");
        if (hours != null) {
            if (since != null) {
                p.problem("give either hours or since, not both");
            } else {
                int h = p.integer("hours", 24, 1, 24 * 366);
                since = (until == null ? now : until).minus(Duration.ofHours(h));
            }
        }
        if (since != null && until != null && !since.isBefore(until)) {
            p.problem("since (" + since + ") must be before until (" + until + ")");
        }
        String order = p.text("order");
        boolean ascending = false;
        if (order != null) {
            switch (order) {
                case "asc" -> ascending = true;
                case "desc" -> ascending = false;
                default -> p.problem("order must be asc or desc, got \"" + order + "\"");
            }
        }
        EventCursor cursor = null;
        String cursorText = p.text("cursor") != null ? p.text("cursor") : p.text("before");
        if (cursorText != null) {
            try {
                cursor = EventCursor.decode(cursorText);
            } catch (IllegalArgumentException e) {
                p.problem(e.getMessage());
            }
        }
        Map<String, String> attributes = p.withPrefix("attr.");
        String text = p.text("q");
        if (text != null && text.length() > 200) {
            p.problem("q is " + text.length() + " characters, the limit is 200");
        }
        List<String> types = types(p);
        p.done();
        return new EventFilter(limit, types, severities, p.list("host"), p.list("agent"), p.list("plugin"),
                p.list("monitor"), p.list("subject"), p.text("trace_id"), p.text("session_id"), p.text("fingerprint"),
                attributes, text, since, until, ascending, cursor);
    }

    /**
     * The {@code type} parameter: exact types or prefixes ending in {@code .*}; anything else is
     * reported to {@code p}. Shared with the other endpoints that filter events by type.
     */
    public static List<String> types(QueryParameters p) {
        List<String> types = p.list("type");
        for (String t : types) {
            if (t.contains("*") && !(t.endsWith(".*") && t.indexOf('*') == t.length() - 1)) {
                p.problem("type takes exact types or a prefix ending in .* (docker.*), got \"" + t + "\"");
            }
        }
        return types;
    }

    /** The severity codes to match, as an array for SQL; empty means all. */
    short[] severityCodes() {
        short[] codes = new short[severities.size()];
        int i = 0;
        for (Severity s : severities) {
            codes[i++] = s.code();
        }
        return codes;
    }

    /** Exact types and prefix patterns, apart. */
    List<String> exactTypes() {
        List<String> out = new ArrayList<>();
        types.stream().filter(t -> !t.endsWith(".*")).forEach(out::add);
        return out;
    }

    List<String> typePrefixes() {
        return types.stream().filter(t -> t.endsWith(".*")).map(t -> t.substring(0, t.length() - 1)).toList();
    }
}

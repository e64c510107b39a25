package io.vigil.server.silence;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.configfile.ConfigNode;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A planned period in which matching alerts are recorded but not notified, declared in the routing
 * file: either once ({@code starts_at}/{@code ends_at}) or every week ({@code weekly: {days, start,
 * duration, timezone}}).
 */
public record MaintenanceWindow(String name, List<LabelMatcher> match, @Nullable Instant startsAt,
                                @Nullable Instant endsAt, Set<DayOfWeek> days, @Nullable LocalTime start,
                                @Nullable Duration duration, ZoneId zone) {

    static final List<String> KEYS = List.of("name", "match", "starts_at", "ends_at", "weekly");
    static final List<String> WEEKLY_KEYS = List.of("days", "start", "duration", "timezone");

    /** Whether the window is open at {@code now}. */
    public boolean activeAt(Instant now) {
        if (startsAt != null) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt);
        }
        ZonedDateTime local = now.atZone(zone);
        for (int back = 0; back <= duration.toDays() + 1; back++) {
            LocalDate day = local.toLocalDate().minusDays(back);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime from = day.atTime(start).atZone(zone);
            if (!local.isBefore(from) && local.isBefore(from.plus(duration))) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(Map<String, String> labels) {
        return LabelMatcher.all(match, labels);
    }

    /** Reads one window; {@code null} when it has problems (recorded on the nodes). */
    public static @Nullable MaintenanceWindow parse(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(KEYS);
        String name = node.get("name").requiredText();
        List<LabelMatcher> match = new ArrayList<>();
        ConfigNode matchNode = node.get("match");
        for (ConfigNode item : matchNode.isScalar() ? List.of(matchNode) : matchNode.items()) {
            String t = item.text();
            if (t != null) {
                try {
                    match.add(LabelMatcher.parse(t));
                } catch (IllegalArgumentException e) {
                    item.problem(e.getMessage());
                }
            }
        }
        Instant startsAt = instant(node.get("starts_at"));
        Instant endsAt = instant(node.get("ends_at"));
        ConfigNode weekly = node.get("weekly");
        boolean once = node.get("starts_at").isPresent() || node.get("ends_at").isPresent();
        if (once == weekly.isPresent()) {
            node.problem("a maintenance window is either once (starts_at and ends_at) or weekly (weekly: {days, start, "
                    + "duration}), " + (once ? "not both" : "one of them is needed"));
            return null;
        }
        if (once) {
            if (startsAt == null && !node.get("starts_at").isPresent()) {
                node.get("starts_at").problem("required with ends_at");
            }
            if (endsAt == null && !node.get("ends_at").isPresent()) {
                node.get("ends_at").problem("required with starts_at");
            }
            if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
                node.get("ends_at").problem("must be after starts_at");
            }
            if (node.problems().size() > before) {
                return null;
            }
            return new MaintenanceWindow(name, List.copyOf(match), startsAt, endsAt, Set.of(), null, null, ZoneId.of("UTC"));
        }
        weekly.allowOnly(WEEKLY_KEYS);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (ConfigNode d : weekly.get("days").items()) {
            String t = d.text();
            DayOfWeek day = t == null ? null : day(t);
            if (day == null) {
                d.problem("expected a day: mon, tue, wed, thu, fri, sat or sun, got \"" + t + "\"");
            } else {
                days.add(day);
            }
        }
        if (!weekly.get("days").isPresent()) {
            weekly.get("days").problem("required, e.g. [sat, sun]");
        }
        LocalTime start = null;
        String startText = weekly.get("start").requiredText();
        if (startText != null) {
            try {
                start = LocalTime.parse(startText.strip());
            } catch (DateTimeParseException e) {
                weekly.get("start").problem("expected a time of day like 02:00, got \"" + startText + "\"");
            }
        }
        Duration duration = weekly.get("duration").duration();
        if (duration == null && !weekly.get("duration").isPresent()) {
            weekly.get("duration").problem("required, e.g. 2h");
        } else if (duration != null && (duration.isZero() || duration.compareTo(Duration.ofDays(7)) > 0)) {
            weekly.get("duration").problem("must be longer than 0s and at most 7d");
        }
        ZoneId zone = ZoneId.of("UTC");
        String tz = weekly.get("timezone").text();
        if (tz != null) {
            try {
                zone = ZoneId.of(tz.strip());
            } catch (DateTimeException e) {
                weekly.get("timezone").problem("unknown time zone \"" + tz + "\": use a name like UTC or Europe/Berlin");
            }
        }
        if (node.problems().size() > before) {
            return null;
        }
        return new MaintenanceWindow(name, List.copyOf(match), null, null, Set.copyOf(days), start, duration, zone);
    }

    private static @Nullable DayOfWeek day(String t) {
        String s = t.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (s.equals(full) || s.equals(full.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }

    private static @Nullable Instant instant(ConfigNode node) {
        String t = node.text();
        if (t == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(t.strip()).toInstant();
        } catch (DateTimeParseException e) {
            node.problem("expected a time like 2026-12-01T02:00:00Z, got \"" + t + "\"");
            return null;
        }
    }
}

package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.state.PollState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pattern occurrences seen recently, kept in the state store under {@code patterns}, so that
 * the same occurrence is not reported again on the next run or after a restart. A detection is
 * the same occurrence as a recorded one when it has the same pattern and asset and their spans
 * overlap or lie within {@code cascade_window} of each other; it keeps the recorded start, which
 * is what its fingerprint is made of. An occurrence is reported when it is first seen at a level
 * of {@code medium} or more, and again only when its level rises.
 */
final class PatternLog {

    private static final String KEY = "patterns";

    /** A recorded occurrence. */
    record Entry(String pattern, String asset, Instant start, Instant end, Level level, double peak) {

        String fingerprint() {
            return "liquidation:" + pattern + ":" + asset + ":" + start;
        }
    }

    /**
     * What to do with a detection.
     *
     * @param entry    the occurrence as recorded now
     * @param previous its level before this detection ({@code none} when new)
     * @param report   whether to emit an event
     */
    record Decision(Entry entry, Level previous, boolean report) {
    }

    private final PollState state;
    private final Duration tolerance;
    private final List<Entry> entries = new ArrayList<>();

    PatternLog(PollState state, Duration tolerance) {
        this.state = state;
        this.tolerance = tolerance;
        state.get(KEY).ifPresent(stored -> {
            if (stored.get("items") instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m && m.get("start") instanceof Number s && m.get("end") instanceof Number e) {
                        entries.add(new Entry(String.valueOf(m.get("pattern")), String.valueOf(m.get("asset")),
                                Instant.ofEpochMilli(s.longValue()), Instant.ofEpochMilli(e.longValue()),
                                Level.parse(m.get("level")), m.get("peak") instanceof Number p ? p.doubleValue() : 0));
                    }
                }
            }
        });
    }

    Decision record(PatternInstance i, Level level) {
        String pattern = i.pattern().wireName();
        for (int n = 0; n < entries.size(); n++) {
            Entry e = entries.get(n);
            if (e.pattern().equals(pattern) && e.asset().equals(i.asset())
                    && !i.start().isAfter(e.end().plus(tolerance)) && !i.end().isBefore(e.start().minus(tolerance))) {
                Level next = level.compareTo(e.level()) > 0 ? level : e.level();
                Entry updated = new Entry(pattern, i.asset(), e.start(), i.end().isAfter(e.end()) ? i.end() : e.end(), next,
                        Math.max(e.peak(), i.score().score()));
                entries.set(n, updated);
                return new Decision(updated, e.level(), level.compareTo(e.level()) > 0);
            }
        }
        Entry created = new Entry(pattern, i.asset(), i.start(), i.end(), level, i.score().score());
        entries.add(created);
        return new Decision(created, Level.NONE, level != Level.NONE);
    }

    /** Writes the log, forgetting occurrences that ended before {@code forgetBefore}. */
    void save(Instant forgetBefore) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Entry e : entries) {
            if (e.end().isBefore(forgetBefore)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern", e.pattern());
            m.put("asset", e.asset());
            m.put("start", e.start().toEpochMilli());
            m.put("end", e.end().toEpochMilli());
            m.put("level", e.level().wireName());
            m.put("peak", Numbers.round(e.peak(), 4));
            items.add(m);
        }
        if (items.isEmpty()) {
            state.remove(KEY);
        } else {
            state.put(KEY, Map.of("items", items));
        }
    }
}

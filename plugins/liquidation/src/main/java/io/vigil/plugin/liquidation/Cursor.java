package io.vigil.plugin.liquidation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far one stream has been read and counted: the newest record time, and the ids of the
 * records at exactly that time (several fills share a millisecond). A record is new when it is
 * later, or at that time with another id. Kept in the state store per stream, so that after a
 * restart the window can be read again from the source without counting anything twice.
 */
record Cursor(Instant time, Set<String> ids) {

    static Optional<Cursor> from(Optional<Map<String, Object>> stored) {
        if (stored.isEmpty() || !(stored.get().get("time") instanceof Number t)) {
            return Optional.empty();
        }
        Set<String> ids = new TreeSet<>();
        if (stored.get().get("ids") instanceof List<?> list) {
            list.forEach(i -> ids.add(String.valueOf(i)));
        }
        return Optional.of(new Cursor(Instant.ofEpochMilli(t.longValue()), Set.copyOf(ids)));
    }

    /** Whether a record with this time and id was read and counted before. */
    boolean covers(Instant when, String id) {
        return when.isBefore(time) || when.equals(time) && ids.contains(id);
    }

    /** This cursor moved on to {@code when} with {@code id} (when it is newer). */
    Cursor advance(Instant when, String id) {
        if (when.isBefore(time)) {
            return this;
        }
        if (when.isAfter(time)) {
            return new Cursor(when, Set.of(id));
        }
        Set<String> more = new TreeSet<>(ids);
        more.add(id);
        return new Cursor(time, Set.copyOf(more));
    }

    Map<String, Object> toJson() {
        return Map.of("time", time.toEpochMilli(), "ids", new ArrayList<>(new TreeSet<>(ids)));
    }
}

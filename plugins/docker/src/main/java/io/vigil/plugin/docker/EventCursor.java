package io.vigil.plugin.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the monitor is in the engine's event stream, kept in the state store so that a reconnect
 * or an agent restart resumes exactly there.
 *
 * <p>Docker's {@code since} is inclusive and several events can share one nanosecond time stamp
 * (a {@code start} and its {@code restart}), so the cursor is the time of the last processed
 * event plus the keys of the events already processed at that very time; resuming with
 * {@code since} = that time replays them and {@link #isProcessed} drops them. It also names the
 * processed events whose outcome is still {@linkplain LifecycleTracker#pendingKeys() pending}
 * (a {@code die} waiting for its {@code stop}), so a restart in that instant does not lose it.
 * Not thread-safe; the monitor guards it.
 */
final class EventCursor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private long timeNano;
    private final Set<String> seenAtTime = new LinkedHashSet<>();
    private final Set<String> pending = new LinkedHashSet<>();

    private EventCursor(long timeNano) {
        this.timeNano = timeNano;
    }

    /** A cursor that starts at {@code timeNano}: events at or after it are new. */
    static EventCursor at(long timeNano) {
        return new EventCursor(timeNano);
    }

    /**
     * Reads a cursor stored by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the text is not a stored cursor
     */
    static EventCursor fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            EventCursor cursor = new EventCursor(node.get("time_nano").asLong());
            node.path("seen").forEach(n -> cursor.seenAtTime.add(n.asText()));
            node.path("pending").forEach(n -> cursor.pending.add(n.asText()));
            return cursor;
        } catch (Exception e) {
            throw new IllegalArgumentException("stored event cursor is unreadable: " + e.getMessage(), e);
        }
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("time_nano", timeNano);
        ArrayNode seen = node.putArray("seen");
        seenAtTime.forEach(seen::add);
        ArrayNode open = node.putArray("pending");
        pending.forEach(open::add);
        return node.toString();
    }

    long timeNano() {
        return timeNano;
    }

    /** Whether the event is at or before the cursor, that is, was handled already. */
    boolean isProcessed(EngineEvent event) {
        return event.timeNano() < timeNano
                || event.timeNano() == timeNano && seenAtTime.contains(event.sameTimeKey());
    }

    /** Whether the event was handled but its outcome was still pending when the cursor was saved. */
    boolean isPending(EngineEvent event) {
        return pending.contains(event.key());
    }

    /** Moves the cursor past {@code event}. */
    void advance(EngineEvent event) {
        if (event.timeNano() > timeNano) {
            timeNano = event.timeNano();
            seenAtTime.clear();
        }
        if (event.timeNano() == timeNano) {
            seenAtTime.add(event.sameTimeKey());
        }
    }

    /** Replaces the set of handled events whose outcome is still pending. */
    void pending(Collection<String> keys) {
        pending.clear();
        pending.addAll(keys);
    }

    /** Docker's {@code since} for resuming here: seconds.nanoseconds. */
    String since() {
        return since(timeNano);
    }

    /** Docker's {@code since} for a point {@code lookBack} before the cursor, never before 0. */
    String since(Duration lookBack) {
        return since(Math.max(0, timeNano - lookBack.toNanos()));
    }

    static String since(long timeNano) {
        return String.format("%d.%09d", Math.floorDiv(timeNano, 1_000_000_000L), Math.floorMod(timeNano, 1_000_000_000L));
    }
}

package io.vigil.plugin.schema.baseline;

import io.vigil.api.StateStore;
import io.vigil.plugin.schema.snapshot.CanonicalJson;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The recorded baseline in the monitor's {@link StateStore}, so a restart neither re-alerts nor
 * misses a change.
 *
 * <p>The state store wants values of kilobytes, and a 200-table snapshot is some hundred
 * kilobytes of JSON, so the snapshot is stored in chunks of {@value #CHUNK} characters under a
 * generation number: {@code baseline.7.chunk.0000}, {@code baseline.7.chunk.0001}, ...,
 * {@code baseline.7.meta}. A new baseline is written as generation 8, and the pointer
 * {@code baseline.generation} moves in the same transaction ({@link StateStore#putAll}), so a
 * crash leaves either the old or the new baseline whole, never a mix; the old generation's keys
 * are removed afterwards (and on the next load if a crash came first).
 */
public final class BaselineStore {

    static final int CHUNK = 32_000;
    private static final String PREFIX = "baseline.";
    private static final String POINTER = PREFIX + "generation";

    private final StateStore state;
    // the last baseline read or written and its generation: a steady poll then skips parsing
    // some hundred kilobytes of JSON; the pointer is still read, so another writer is noticed
    private String cachedGeneration;
    private Baseline cached;

    public BaselineStore(StateStore state) {
        this.state = state;
    }

    /**
     * A recorded baseline.
     *
     * @param snapshot the schema as recorded
     * @param scope    the database and include/exclude settings it was taken with
     * @param takenAt  when it was recorded
     */
    public record Baseline(Snapshot snapshot, String scope, Instant takenAt) {
    }

    /** The current baseline; empty on the first run or when the stored one cannot be read. */
    public Optional<Baseline> load() {
        Optional<String> pointer = state.get(POINTER);
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        if (pointer.get().equals(cachedGeneration)) {
            return Optional.of(cached);
        }
        String generation = PREFIX + pointer.get() + ".";
        removeOtherGenerations(generation);
        Map<String, String> entries = state.entries(generation);
        String metaJson = entries.get(generation + "meta");
        if (metaJson == null) {
            return Optional.empty();
        }
        StringBuilder json = new StringBuilder();
        entries.forEach((k, v) -> {
            if (k.startsWith(generation + "chunk.")) {
                json.append(v);
            }
        });
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) CanonicalJson.parse(metaJson);
            Snapshot snapshot = Snapshot.fromJson(json.toString());
            cached = new Baseline(snapshot, (String) meta.get("scope"), Instant.parse((String) meta.get("taken_at")));
            cachedGeneration = pointer.get();
            return Optional.of(cached);
        } catch (RuntimeException e) {
            // a baseline of another format: record a new one rather than compare against garbage
            return Optional.empty();
        }
    }

    /** Records {@code snapshot} as the new baseline, replacing the old one atomically. */
    public void save(Snapshot snapshot, String scope, Instant takenAt) {
        long next = state.get(POINTER).map(Long::parseLong).orElse(0L) + 1;
        String generation = PREFIX + next + ".";
        String json = snapshot.toJson();
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0, n = 0; i < json.length(); i += CHUNK, n++) {
            entries.put(generation + "chunk." + String.format("%04d", n), json.substring(i, Math.min(json.length(), i + CHUNK)));
        }
        Map<String, Object> meta = new HashMap<>();
        meta.put("hash", snapshot.hash());
        meta.put("scope", scope);
        meta.put("taken_at", takenAt.toString());
        entries.put(generation + "meta", CanonicalJson.write(meta));
        entries.put(POINTER, String.valueOf(next));
        state.putAll(entries);
        cached = new Baseline(snapshot, scope, takenAt);
        cachedGeneration = String.valueOf(next);
        removeOtherGenerations(generation);
    }

    private void removeOtherGenerations(String keep) {
        for (String key : state.entries(PREFIX).keySet()) {
            if (!key.equals(POINTER) && !key.startsWith(keep)) {
                state.remove(key);
            }
        }
    }
}

package io.vigil.hyperliquid.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The monitor's state store as one run sees it: reads see the run's own writes, and the writes
 * reach the store in one transaction at the end of the run ({@link #commit}), after the events and
 * metrics they stand for were emitted. A crash in between repeats a run's output rather than
 * losing it.
 *
 * <p>Shared by the oracle and liquidation plugins (both already carry this library and its
 * Jackson); values are JSON objects.
 */
public final class PollState {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final StateStore store;
    private final Map<String, String> puts = new TreeMap<>();
    private final Set<String> removes = new TreeSet<>();

    public PollState(StateStore store) {
        this.store = store;
    }

    /** The JSON object stored under {@code key}; empty when absent or unreadable (then it starts afresh). */
    public Optional<Map<String, Object>> get(String key) {
        if (removes.contains(key)) {
            return Optional.empty();
        }
        String text = puts.containsKey(key) ? puts.get(key) : store.get(key).orElse(null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(text, MAP));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The keys stored under {@code prefix}, with this run's writes applied. */
    public Set<String> keys(String prefix) {
        Set<String> keys = new TreeSet<>(store.entries(prefix).keySet());
        puts.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        keys.removeAll(removes);
        return keys;
    }

    public void put(String key, Map<String, ?> value) {
        removes.remove(key);
        try {
            puts.put(key, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(String key) {
        puts.remove(key);
        removes.add(key);
    }

    public void commit() {
        if (!puts.isEmpty()) {
            store.putAll(puts);
        }
        removes.forEach(store::remove);
        puts.clear();
        removes.clear();
    }
}

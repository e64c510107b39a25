package io.vigil.api;

import java.util.Map;
import java.util.Optional;

/**
 * A persistent key-value store private to one monitor instance: baselines, cursors and
 * hashes that must survive an agent restart, so that a restart neither re-alerts nor misses a
 * change.
 *
 * <p>A write is durable when the method returns. Keys are scoped to the monitor's name in the
 * agent configuration: renaming the monitor starts from an empty store. Values are strings; store
 * JSON for structure. Thread-safe; each call is a small local transaction, so keep values small
 * (kilobytes, not megabytes) and batch many keys with {@link #putAll}.
 */
public interface StateStore {

    /** The value stored under {@code key}, if any. */
    Optional<String> get(String key);

    /** Stores {@code value} under {@code key}, replacing what was there. */
    void put(String key, String value);

    /** Stores all entries in one transaction: either all are durable or none. */
    void putAll(Map<String, String> entries);

    /** Removes {@code key}; no effect when absent. */
    void remove(String key);

    /** All entries whose key starts with {@code prefix} (empty prefix: all), sorted by key. */
    Map<String, String> entries(String prefix);
}

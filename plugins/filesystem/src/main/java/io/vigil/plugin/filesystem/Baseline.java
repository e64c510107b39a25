package io.vigil.plugin.filesystem;

import io.vigil.api.StateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The last known state of every recorded path, held in memory for fast comparison and persisted
 * in the monitor's {@link StateStore} so changes made while the agent was stopped are found at
 * the next start.
 *
 * <p>Keys: {@code file:<absolute path>} holds a {@link FileRecordJson} record, and
 * {@code root:<absolute path>} marks a root whose first baseline has been taken (its value is
 * when), so a newly configured root is baselined silently instead of reported file by file.
 * Writes are batched through {@link StateStore#putAll}. Used by the monitor thread only.
 */
final class Baseline {

    static final String FILE_PREFIX = "file:";
    static final String ROOT_PREFIX = "root:";
    // A putAll is one transaction; this bounds how much one of them holds.
    private static final int WRITE_CHUNK = 5_000;

    private final StateStore store;
    private final Logger log;
    // Sorted by path text so that everything under a directory is one contiguous range.
    private final NavigableMap<String, FileRecord> records = new TreeMap<>();
    private int unreadable;

    Baseline(StateStore store, Logger log) {
        this.store = store;
        this.log = log;
    }

    /** Reads the stored baseline; a record that cannot be read is dropped and logged. */
    void load() {
        records.clear();
        unreadable = 0;
        store.entries(FILE_PREFIX).forEach((key, json) -> {
            try {
                put(key.substring(FILE_PREFIX.length()), FileRecordJson.decode(json));
            } catch (IllegalArgumentException e) {
                log.warn("dropping unreadable baseline record {}: {}", key, e.getMessage());
            }
        });
    }

    FileRecord get(Path path) {
        return records.get(path.toString());
    }

    int size() {
        return records.size();
    }

    /** How many recorded paths are currently unreadable. */
    int unreadableCount() {
        return unreadable;
    }

    /** The recorded paths strictly below {@code dir}. */
    List<Path> under(Path dir) {
        String prefix = dir.toString().endsWith("/") ? dir.toString() : dir + "/";
        String end = prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
        // For "/" the prefix is the directory itself, which is not below itself.
        boolean inclusive = !prefix.equals(dir.toString());
        return records.subMap(prefix, inclusive, end, false).keySet().stream().map(Path::of).toList();
    }

    /** Records under {@code dir} (inclusive), for the counts of a baseline event. */
    Collection<FileRecord> recordsAt(Path dir) {
        List<FileRecord> out = new ArrayList<>();
        FileRecord self = records.get(dir.toString());
        if (self != null) {
            out.add(self);
        }
        under(dir).forEach(p -> out.add(records.get(p.toString())));
        return out;
    }

    /** Every recorded path, for pruning what is no longer in scope. */
    List<Path> paths() {
        return records.keySet().stream().map(Path::of).toList();
    }

    /** Roots whose first baseline has been taken. */
    Set<Path> baselinedRoots() {
        return store.entries(ROOT_PREFIX).keySet().stream()
                .map(k -> Path.of(k.substring(ROOT_PREFIX.length()))).collect(Collectors.toSet());
    }

    /** Marks roots as baselined and forgets roots no longer configured. */
    void setRoots(Collection<Path> baselined, Collection<Path> configured, Instant now) {
        Map<String, String> puts = new HashMap<>();
        baselined.forEach(r -> puts.put(ROOT_PREFIX + r, now.toString()));
        if (!puts.isEmpty()) {
            store.putAll(puts);
        }
        baselinedRoots().stream().filter(Predicate.not(configured::contains))
                .forEach(r -> store.remove(ROOT_PREFIX + r));
    }

    /** Stores new and changed records and forgets removed paths, in memory and durably. */
    void apply(Map<Path, FileRecord> puts, Collection<Path> removes) {
        Map<String, String> chunk = new HashMap<>();
        for (Map.Entry<Path, FileRecord> e : puts.entrySet()) {
            put(e.getKey().toString(), e.getValue());
            chunk.put(FILE_PREFIX + e.getKey(), FileRecordJson.encode(e.getValue()));
            if (chunk.size() >= WRITE_CHUNK) {
                store.putAll(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            store.putAll(chunk);
        }
        for (Path p : removes) {
            FileRecord old = records.remove(p.toString());
            if (old != null) {
                if (old.isUnreadable()) {
                    unreadable--;
                }
                // StateStore has no batch delete; deletions are rarer than writes.
                store.remove(FILE_PREFIX + p);
            }
        }
    }

    private void put(String path, FileRecord record) {
        FileRecord old = records.put(path, record);
        if (old != null && old.isUnreadable()) {
            unreadable--;
        }
        if (record.isUnreadable()) {
            unreadable++;
        }
    }
}

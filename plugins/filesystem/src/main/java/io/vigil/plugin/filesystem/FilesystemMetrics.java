package io.vigil.plugin.filesystem;

import io.vigil.api.Emitter;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monitor's counters and the samples it emits. Counters count from the start of the
 * monitor's run, as Prometheus counters do; a restart starts them again at zero.
 */
final class FilesystemMetrics {

    /** Current sizes, measured when the samples are emitted. */
    record Gauges(int filesWatched, int directoriesWatched, int directoriesUnwatched, int filesUnreadable) {
    }

    static final String FILES_WATCHED = "filesystem.files_watched";
    static final String DIRECTORIES_WATCHED = "filesystem.directories_watched";
    static final String DIRECTORIES_UNWATCHED = "filesystem.directories_unwatched";
    static final String FILES_UNREADABLE = "filesystem.files_unreadable";
    static final String EVENTS_TOTAL = "filesystem.events_total";
    static final String OVERFLOWS_TOTAL = "filesystem.overflows_total";
    static final String RESCAN_DURATION = "filesystem.rescan_duration_seconds";

    private final Map<String, Long> eventsByType = new TreeMap<>();
    private long overflows;
    private Duration lastRescan;

    FilesystemMetrics() {
        // Every type from the start, so a dashboard sees a zero rather than no series.
        for (ChangeType t : ChangeType.values()) {
            eventsByType.put(t.eventType(), 0L);
        }
        for (String t : new String[] {"file.changes_summarized", "file.baseline", "file.watch_overflow", "file.watch_limit"}) {
            eventsByType.put(t, 0L);
        }
    }

    void counted(Event event) {
        eventsByType.merge(event.type(), 1L, Long::sum);
    }

    void overflowed() {
        overflows++;
    }

    void rescanned(Duration took) {
        lastRescan = took;
    }

    /** Emits every sample, all stamped {@code now}. */
    void emit(Emitter emitter, Instant now, Gauges g) {
        emitter.emit(new MetricSample(FILES_WATCHED, g.filesWatched(), "files", Map.of(), now));
        emitter.emit(new MetricSample(DIRECTORIES_WATCHED, g.directoriesWatched(), "directories", Map.of(), now));
        emitter.emit(new MetricSample(DIRECTORIES_UNWATCHED, g.directoriesUnwatched(), "directories", Map.of(), now));
        emitter.emit(new MetricSample(FILES_UNREADABLE, g.filesUnreadable(), "files", Map.of(), now));
        eventsByType.forEach((type, n) ->
                emitter.emit(new MetricSample(EVENTS_TOTAL, n, "events", Map.of("type", type), now)));
        emitter.emit(new MetricSample(OVERFLOWS_TOTAL, overflows, "overflows", Map.of(), now));
        if (lastRescan != null) {
            emitter.emit(new MetricSample(RESCAN_DURATION, lastRescan.toNanos() / 1e9, "seconds", Map.of(), now));
        }
    }
}

package io.vigil.plugin.filesystem;

import io.vigil.api.Emitter;
import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.util.List;

/**
 * Emits the changes of one batch: one event per change, or, above the per-batch cap, a single
 * {@code file.changes_summarized} event with the counts, so that unpacking an archive of 10,000
 * files raises one alert rather than 10,000. The summary carries the highest severity of the
 * changes it stands for, so a critical change is not hidden by a burst around it.
 */
final class BatchReporter {

    private final Emitter emitter;
    private final ChangeEvents events;
    private final SeverityRules severities;
    private final long cap;
    private final FilesystemMetrics metrics;

    BatchReporter(Emitter emitter, ChangeEvents events, SeverityRules severities, long cap, FilesystemMetrics metrics) {
        this.emitter = emitter;
        this.events = events;
        this.severities = severities;
        this.cap = cap;
        this.metrics = metrics;
    }

    void report(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (changes.size() > cap) {
            Severity worst = Severity.INFO;
            for (Change c : changes) {
                Severity s = severities.of(c);
                if (s.atLeast(worst)) {
                    worst = s;
                }
            }
            emit(events.summary(changes, worst, cap));
            return;
        }
        for (Change c : changes) {
            emit(events.change(c, severities.of(c)));
        }
    }

    void emit(Event event) {
        emitter.emit(event);
        metrics.counted(event);
    }
}

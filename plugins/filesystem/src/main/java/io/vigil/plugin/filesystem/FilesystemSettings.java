package io.vigil.plugin.filesystem;

import io.vigil.api.Options;
import io.vigil.api.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One monitor's options, checked beyond what their types express and turned into the objects the
 * monitor works with. Every problem is collected, so the operator fixes them all at once.
 */
record FilesystemSettings(Scope scope, GlobSet noHash, long maxHashBytes, Duration debounce, Duration maxDelay,
                          Duration rescanInterval, long maxEventsPerBatch, long maxWatchedDirectories,
                          SeverityRules severities, Duration metricsInterval) {

    /**
     * Reads and checks the options.
     *
     * @throws IllegalArgumentException listing every problem, each naming its option
     */
    static FilesystemSettings from(Options o) {
        List<String> problems = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        for (String p : o.list("paths")) {
            Path path = Path.of(p);
            if (!path.isAbsolute()) {
                problems.add("paths: \"" + p + "\" is relative; give an absolute path such as /etc");
            } else {
                roots.add(path.normalize());
            }
        }
        if (o.list("paths").isEmpty()) {
            problems.add("paths: is empty; list at least one file or directory to watch");
        }
        GlobSet include = globs(o, "include", problems);
        GlobSet exclude = globs(o, "exclude", problems);
        GlobSet noHash = globs(o, "no_hash", problems);
        positive(o.duration("debounce"), "debounce", problems);
        positive(o.duration("rescan_interval"), "rescan_interval", problems);
        positive(o.duration("metrics_interval"), "metrics_interval", problems);
        if (o.duration("max_delay").compareTo(o.duration("debounce")) < 0) {
            problems.add("max_delay: " + format(o.duration("max_delay")) + " is shorter than debounce "
                    + format(o.duration("debounce")));
        }
        atLeast(o, "max_hash_bytes", 0, problems);
        atLeast(o, "max_events_per_batch", 1, problems);
        atLeast(o, "max_watched_directories", 0, problems);
        SeverityRules severities = null;
        try {
            Severity fallback = Severity.parse(o.string("default_severity"));
            try {
                severities = SeverityRules.parse(o.isSet("severity_rules") ? o.map("severity_rules") : Map.of(), fallback);
            } catch (IllegalArgumentException e) {
                problems.add("severity_rules: " + e.getMessage());
            }
        } catch (IllegalArgumentException e) {
            problems.add("default_severity: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new FilesystemSettings(new Scope(roots, include, exclude), noHash, o.integer("max_hash_bytes"),
                o.duration("debounce"), o.duration("max_delay"), o.duration("rescan_interval"),
                o.integer("max_events_per_batch"), o.integer("max_watched_directories"), severities,
                o.duration("metrics_interval"));
    }

    /** A duration as an operator writes it in the configuration: 250ms, 5s, 10m. */
    static String format(Duration d) {
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 && !d.isZero() ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static GlobSet globs(Options o, String name, List<String> problems) {
        if (!o.isSet(name)) {
            return GlobSet.empty();
        }
        try {
            return GlobSet.of(o.list(name));
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
            return GlobSet.empty();
        }
    }

    private static void positive(Duration d, String name, List<String> problems) {
        if (d.isZero() || d.isNegative()) {
            problems.add(name + ": must be longer than 0, got " + format(d));
        }
    }

    private static void atLeast(Options o, String name, long min, List<String> problems) {
        if (o.integer(name) < min) {
            problems.add(name + ": must be at least " + min + ", got " + o.integer(name));
        }
    }
}

package io.vigil.plugin.filesystem;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code integrity} monitor; the work is in {@link FilesystemMonitor}. */
@Extension
public final class FilesystemMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "integrity";
    }

    @Override
    public String description() {
        return "Watches files and directories and reports changes to their content, permissions and ownership against a persistent baseline";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("paths", OptionType.STRING_LIST,
                        "Absolute paths of the files and directories to watch; directories recursively").asRequired(),
                OptionSpec.of("include", OptionType.STRING_LIST,
                        "Globs a path must match to be recorded (none: every path); a glob without a slash matches the file name"),
                OptionSpec.of("exclude", OptionType.STRING_LIST,
                        "Globs of files and directories to ignore; an excluded directory is not descended into"),
                OptionSpec.of("no_hash", OptionType.STRING_LIST,
                        "Globs of files compared by size and mtime only, never hashed"),
                OptionSpec.of("max_hash_bytes", OptionType.INTEGER,
                        "Files larger than this many bytes are compared by size and mtime only").withDefault(104857600L),
                OptionSpec.of("debounce", OptionType.DURATION,
                        "Quiet period after the last change before a burst of changes is evaluated").withDefault("250ms"),
                OptionSpec.of("max_delay", OptionType.DURATION,
                        "Longest a change waits for a quiet period before it is evaluated anyway").withDefault("5s"),
                OptionSpec.of("rescan_interval", OptionType.DURATION,
                        "How often every watched path is compared with the baseline, to catch what the watch service missed").withDefault("10m"),
                OptionSpec.of("max_events_per_batch", OptionType.INTEGER,
                        "Above this many changes in one batch, one file.changes_summarized event replaces the individual events").withDefault(100L),
                OptionSpec.of("max_watched_directories", OptionType.INTEGER,
                        "Most directories to watch through the OS; 0 means as many as the kernel allows").withDefault(0L),
                OptionSpec.of("default_severity", OptionType.STRING,
                        "Severity of a change that no severity rule matches").withDefault("low"),
                OptionSpec.of("severity_rules", OptionType.STRING_MAP,
                        "Glob, optionally prefixed by a change such as deleted:, to severity; the highest matching severity wins"),
                OptionSpec.of("metrics_interval", OptionType.DURATION,
                        "How often the counters are emitted as metrics").withDefault("1m"));
    }

    @Override
    public Monitor create(MonitorContext context) {
        return new FilesystemMonitor(context, FilesystemSettings.from(context.options()), System::nanoTime);
    }
}

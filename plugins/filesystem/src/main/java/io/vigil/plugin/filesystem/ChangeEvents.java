package io.vigil.plugin.filesystem;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the events users see: their types, titles and attributes are the plugin's public
 * surface, documented in README.md. Subjects are paths; a path longer than an event subject may
 * be keeps its tail (the file name is what identifies it), the full path is in {@code path}.
 */
final class ChangeEvents {

    /** How many example paths a summary or overflow event lists. */
    static final int SAMPLE_PATHS = 10;
    private static final int TITLE_PATH = 300;

    private final Clock clock;

    ChangeEvents(Clock clock) {
        this.clock = clock;
    }

    Event change(Change c, Severity severity) {
        Event.Builder b = Event.builder(c.type().eventType()).severity(severity).subject(subject(c.path()))
                .time(clock.instant()).attribute("path", c.path().toString());
        FileRecord before = c.before();
        FileRecord after = c.after();
        String name = clip(c.path());
        switch (c.type()) {
            case CREATED -> describe(b.title(name + " created"), after);
            case DELETED -> describe(b.title(name + " deleted"), before);
            case MODIFIED -> {
                b.title(name + " modified (" + before.size() + " → " + after.size() + " bytes)")
                        .attribute("file_type", after.kind().label())
                        .attribute("size_before", before.size()).attribute("size_after", after.size())
                        .attribute("sha256_before", before.sha256()).attribute("sha256_after", after.sha256())
                        .attribute("mtime_before", before.mtime()).attribute("mtime_after", after.mtime())
                        .attribute("hashed", before.sha256() != null && after.sha256() != null);
                if (before.kind() != after.kind()) {
                    b.attribute("file_type_before", before.kind().label());
                }
                if (before.linkTarget() != null || after.linkTarget() != null) {
                    b.attribute("link_target_before", before.linkTarget())
                            .attribute("link_target_after", after.linkTarget());
                }
            }
            case PERMISSIONS_CHANGED -> {
                List<String> changed = new ArrayList<>();
                List<String> what = new ArrayList<>();
                compare("mode", before.modeOctal(), after.modeOctal(), changed, what);
                compare("owner", before.owner(), after.owner(), changed, what);
                compare("group", before.group(), after.group(), changed, what);
                b.title(name + " permissions changed: " + String.join(", ", what))
                        .attribute("file_type", after.kind().label())
                        .attribute("changed", changed)
                        .attribute("mode_before", before.modeOctal()).attribute("mode_after", after.modeOctal())
                        .attribute("owner_before", before.owner()).attribute("owner_after", after.owner())
                        .attribute("group_before", before.group()).attribute("group_after", after.group());
            }
            case RENAMED -> b.title(clip(c.from()) + " renamed to " + name)
                    .attribute("from", c.from().toString()).attribute("to", c.path().toString())
                    .attribute("file_type", after.kind().label())
                    .attribute("size", after.size()).attribute("sha256", after.sha256())
                    .attribute("matched_by", RenameMatcher.isSameInode(before, after) ? "inode" : "content");
            case UNREADABLE -> b.title(name + " cannot be read: " + after.unreadable())
                    .attribute("file_type", after.kind().label()).attribute("reason", after.unreadable());
            default -> throw new AssertionError(c.type());
        }
        return b.build();
    }

    /** One event standing for a batch of changes too large to report one by one. */
    Event summary(List<Change> changes, Severity severity, long cap) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ChangeType t : ChangeType.values()) {
            long n = changes.stream().filter(c -> c.type() == t).count();
            if (n > 0) {
                counts.put(t.word(), n);
            }
        }
        Path under = commonDirectory(changes.stream().map(Change::path).toList());
        List<String> sample = changes.stream().map(c -> c.path().toString()).distinct().limit(SAMPLE_PATHS).toList();
        List<String> parts = new ArrayList<>();
        counts.forEach((type, n) -> parts.add(n + " " + type));
        return Event.builder("file.changes_summarized").severity(severity).subject(subject(under))
                .time(clock.instant())
                .title(changes.size() + " changes under " + clip(under) + " summarized: " + String.join(", ", parts))
                .attribute("directory", under.toString())
                .attribute("total", changes.size())
                .attribute("counts", counts)
                .attribute("sample_paths", sample)
                .attribute("max_events_per_batch", cap)
                .build();
    }

    /** The first baseline of newly watched roots. */
    Event baseline(List<Path> roots, Collection<FileRecord> records, List<Path> missing, Duration took) {
        long files = 0;
        long directories = 0;
        long symlinks = 0;
        long other = 0;
        long bytes = 0;
        long unhashed = 0;
        long unreadable = 0;
        for (FileRecord r : records) {
            switch (r.kind()) {
                case FILE -> {
                    files++;
                    bytes += r.size();
                    if (r.sha256() == null) {
                        unhashed++;
                    }
                }
                case DIRECTORY -> directories++;
                case SYMLINK -> symlinks++;
                default -> other++;
            }
            if (r.isUnreadable()) {
                unreadable++;
            }
        }
        List<String> rootNames = roots.stream().map(Path::toString).toList();
        String listed = String.join(", ", rootNames);
        return Event.builder("file.baseline").severity(Severity.INFO)
                .subject(clipText(listed, 1000)).time(clock.instant())
                .title(clipText("Baseline recorded: " + files + " files, " + directories + " directories under " + listed, 1000))
                .attribute("roots", rootNames)
                .attribute("files", files).attribute("directories", directories)
                .attribute("symlinks", symlinks).attribute("other", other)
                .attribute("bytes", bytes).attribute("unhashed", unhashed).attribute("unreadable", unreadable)
                .attribute("missing_roots", missing.stream().map(Path::toString).toList())
                .attribute("duration_ms", took.toMillis())
                .build();
    }

    /** The watch queue lost events for these directories; they were rescanned instead. */
    Event overflow(Collection<Path> directories) {
        List<String> sample = directories.stream().map(Path::toString).sorted().limit(SAMPLE_PATHS).toList();
        Path under = commonDirectory(List.copyOf(directories));
        return Event.builder("file.watch_overflow").severity(Severity.LOW).subject(subject(under))
                .time(clock.instant())
                .title("Watch queue overflowed for " + directories.size() + " director"
                        + (directories.size() == 1 ? "y" : "ies") + " under " + clip(under) + "; rescanned them")
                .attribute("directory_count", directories.size())
                .attribute("directories", sample)
                .build();
    }

    /** A directory could not be watched because a watch limit was reached. */
    Event watchLimit(Path directory, String reason, int watched, Duration rescanInterval) {
        return Event.builder("file.watch_limit").severity(Severity.MEDIUM)
                .subject(directory == null ? "" : subject(directory)).time(clock.instant())
                .title(clipText("Cannot watch " + (directory == null ? "any directory" : clip(directory)) + ": " + reason
                        + "; what is not watched is checked by the rescan every " + FilesystemSettings.format(rescanInterval), 1000))
                .attribute("directory", directory == null ? null : directory.toString())
                .attribute("reason", reason)
                .attribute("watched_directories", watched)
                .attribute("rescan_interval_seconds", rescanInterval.toSeconds())
                .build();
    }

    private static void describe(Event.Builder b, FileRecord r) {
        b.attribute("file_type", r.kind().label()).attribute("size", r.size()).attribute("sha256", r.sha256())
                .attribute("mode", r.modeOctal()).attribute("owner", r.owner()).attribute("group", r.group())
                .attribute("mtime", r.hasStat() ? r.mtime() : null);
        if (r.linkTarget() != null) {
            b.attribute("link_target", r.linkTarget());
        }
    }

    private static void compare(String field, String before, String after, List<String> changed, List<String> what) {
        if (before == null ? after != null : !before.equals(after)) {
            changed.add(field);
            what.add(field + " " + before + " → " + after);
        }
    }

    /** The deepest directory containing all paths. */
    static Path commonDirectory(List<Path> paths) {
        Path common = null;
        for (Path p : paths) {
            Path dir = p.getParent() != null ? p.getParent() : p;
            if (common == null) {
                common = dir;
            }
            while (!dir.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common == null ? Path.of("/") : common;
    }

    private static String subject(Path path) {
        return clipText(path.toString(), Event.MAX_TEXT_LENGTH);
    }

    private static String clip(Path path) {
        return clipText(path.toString(), TITLE_PATH);
    }

    // Keeps the tail, where the file name is.
    private static String clipText(String text, int max) {
        return text.length() <= max ? text : "…" + text.substring(text.length() - max + 1);
    }

}

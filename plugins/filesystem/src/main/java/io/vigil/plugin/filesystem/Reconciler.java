package io.vigil.plugin.filesystem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Compares a {@link Batch} of paths on disk with the {@link Baseline} and works out each path's
 * net change, renames included. It does not touch the baseline: the caller emits the changes
 * first and then applies the outcome, so a crash in between repeats a report rather than loses
 * one.
 */
final class Reconciler {

    /**
     * What a comparison found.
     *
     * @param changes sorted by path, then by change type
     * @param puts    records to store (new or different)
     * @param removes paths to forget
     */
    record Outcome(List<Change> changes, Map<Path, FileRecord> puts, List<Path> removes) {
        static final Outcome NONE = new Outcome(List.of(), Map.of(), List.of());
    }

    private static final Comparator<Change> ORDER =
            Comparator.comparing(Change::path).thenComparing(Change::type);

    private final Scope scope;
    private final Scanner scanner;
    private final FileInspector inspector;
    private final Baseline baseline;
    private final ChangeClassifier classifier = new ChangeClassifier();
    private final RenameMatcher renames = new RenameMatcher();
    private final BooleanSupplier stopped;

    Reconciler(Scope scope, Scanner scanner, FileInspector inspector, Baseline baseline, BooleanSupplier stopped) {
        this.scope = scope;
        this.scanner = scanner;
        this.inspector = inspector;
        this.baseline = baseline;
        this.stopped = stopped;
    }

    /**
     * Compares the batch with the baseline. Every directory met while walking a subtree is handed
     * to {@code onDirectory} before its entries are listed, so a watch put on it there misses
     * nothing. Returns {@link Outcome#NONE} when stopped half-way: a half-walked tree would make
     * the unwalked part look deleted.
     */
    Outcome reconcile(Batch batch, Consumer<Path> onDirectory) {
        TreeSet<Path> targets = new TreeSet<>();
        Map<Path, String> unlistable = new HashMap<>();
        for (Path tree : batch.outermostSubtrees()) {
            if (baseline.get(tree) != null || scope.records(tree)) {
                targets.add(tree);
            }
            scanner.walk(tree, new Scanner.Visitor() {
                @Override
                public void directory(Path dir) {
                    onDirectory.accept(dir);
                }

                @Override
                public void entry(Path path) {
                    targets.add(path);
                }

                @Override
                public void unlistable(Path dir, String reason) {
                    unlistable.put(dir, reason);
                }
            });
            for (Path known : baseline.under(tree)) {
                // What could not be listed is unknown, not deleted.
                if (!isBelowAny(known, unlistable.keySet())) {
                    targets.add(known);
                }
            }
        }
        for (Path p : batch.paths()) {
            if (baseline.get(p) != null || scope.records(p)) {
                targets.add(p);
            }
        }
        if (stopped.getAsBoolean()) {
            return Outcome.NONE;
        }
        return compare(targets, unlistable);
    }

    private Outcome compare(TreeSet<Path> targets, Map<Path, String> unlistable) {
        List<Change> changes = new ArrayList<>();
        List<Change> created = new ArrayList<>();
        List<Change> deleted = new ArrayList<>();
        Map<Path, FileRecord> puts = new LinkedHashMap<>();
        List<Path> removes = new ArrayList<>();
        for (Path path : targets) {
            if (stopped.getAsBoolean()) {
                return Outcome.NONE;
            }
            FileRecord before = baseline.get(path);
            FileRecord after = inspector.inspect(path, before).orElse(null);
            String unlisted = unlistable.get(path);
            if (after != null && unlisted != null && after.kind() == FileKind.DIRECTORY) {
                after = after.withUnreadable(unlisted);
            }
            for (Change c : classifier.classify(path, before, after)) {
                (c.type() == ChangeType.CREATED ? created : c.type() == ChangeType.DELETED ? deleted : changes).add(c);
            }
            if (after != null && !after.equals(before)) {
                puts.put(path, after);
            } else if (after == null && before != null) {
                removes.add(path);
            }
        }
        for (Change rename : renames.match(deleted, created)) {
            changes.add(rename);
            if (rename.before().hasStat() && !rename.before().sameMetadata(rename.after())) {
                changes.add(Change.of(ChangeType.PERMISSIONS_CHANGED, rename.path(), rename.before(), rename.after()));
            }
        }
        changes.addAll(created);
        changes.addAll(deleted);
        changes.sort(ORDER);
        return new Outcome(changes, puts, removes);
    }

    private static boolean isBelowAny(Path path, Iterable<Path> dirs) {
        for (Path dir : dirs) {
            if (path.startsWith(dir) && !path.equals(dir)) {
                return true;
            }
        }
        return false;
    }
}

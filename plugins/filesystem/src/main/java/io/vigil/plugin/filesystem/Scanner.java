package io.vigil.plugin.filesystem;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.function.BooleanSupplier;

/**
 * Walks a tree in {@link Scope}, without following symlinks, and tells a {@link Visitor} what it
 * finds. The single walker of the plugin: the start-up scan, the periodic rescan, the rescan of an
 * overflowed directory and the registration of a new directory all go through it.
 */
final class Scanner {

    /** What a walk reports; called on the walking thread. */
    interface Visitor {
        /** A directory in scope, before its entries; the place to put a watch on it. */
        void directory(Path dir);

        /** A path that the scope records (files, links and directories alike). */
        void entry(Path path);

        /** A directory whose entries could not be listed, with the reason. */
        void unlistable(Path dir, String reason);
    }

    private final Scope scope;
    private final BooleanSupplier stopped;

    /** {@code stopped} is polled between entries so a walk of a large tree ends soon after a stop. */
    Scanner(Scope scope, BooleanSupplier stopped) {
        this.scope = scope;
        this.stopped = stopped;
    }

    /** Walks {@code start} (a file or a directory); nothing happens when it does not exist. */
    void walk(Path start, Visitor visitor) {
        if (!scope.covers(start)) {
            return;
        }
        try {
            Files.walkFileTree(start, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (stopped.getAsBoolean()) {
                                return FileVisitResult.TERMINATE;
                            }
                            if (!dir.equals(start) && !scope.covers(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            visitor.directory(dir);
                            if (scope.records(dir)) {
                                visitor.entry(dir);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (stopped.getAsBoolean()) {
                                return FileVisitResult.TERMINATE;
                            }
                            if (scope.records(file)) {
                                visitor.entry(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
                                return FileVisitResult.CONTINUE; // vanished during the walk
                            }
                            if (scope.records(file)) {
                                visitor.entry(file);
                            }
                            visitor.unlistable(file, FileInspector.reason(e));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            if (e != null && !(e instanceof NoSuchFileException)) {
                                visitor.unlistable(dir, FileInspector.reason(e));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            // walkFileTree reports failures to the visitor; this is only reached for the start itself.
            visitor.unlistable(start, FileInspector.reason(e));
        }
    }
}

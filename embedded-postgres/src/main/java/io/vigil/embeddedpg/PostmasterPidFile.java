package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The postmaster.pid lock file PostgreSQL keeps in its data directory. Line 1 is the postmaster's
 * pid, line 2 the data directory; the rest (port, socket directory, shared memory key, status) is not
 * needed here.
 */
record PostmasterPidFile(Path file, long pid) {

    static final String NAME = "postmaster.pid";

    /** Reads the pid file of {@code dataDir}; empty if there is none. A pid of -1 means the file is unreadable garbage. */
    static Optional<PostmasterPidFile> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        long pid = -1;
        if (!lines.isEmpty()) {
            try {
                pid = Long.parseLong(lines.get(0).trim());
            } catch (NumberFormatException ignored) {
                // A crash while PostgreSQL was writing the file; treated as stale below.
            }
        }
        return Optional.of(new PostmasterPidFile(file, pid));
    }

    LinuxProcess process() {
        return new LinuxProcess(pid);
    }
}

package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Stops a postmaster with {@code pg_ctl stop}. pg_ctl rather than a signal from Java: Java can only
 * send SIGTERM, which PostgreSQL treats as a "smart" shutdown that waits for every client (a
 * connection pool never lets go), while the fast shutdown we want is SIGINT. pg_ctl also waits
 * until postmaster.pid is gone, which is exactly "safe to start again".
 */
final class PgCtl {

    private final PostgresBinaries binaries;
    private final ProcessUser user;
    private final Path workDir;
    private final Path outputFile;

    PgCtl(PostgresBinaries binaries, ProcessUser user, Path workDir, Path outputFile) {
        this.binaries = binaries;
        this.user = user;
        this.workDir = workDir;
        this.outputFile = outputFile;
    }

    /**
     * Runs {@code pg_ctl stop -m <mode>} on {@code dataDir} and waits up to {@code timeout}.
     *
     * @param mode "fast" (roll back clients, checkpoint) or "immediate" (no checkpoint; crash recovery on next start)
     */
    void stop(Path dataDir, String mode, Duration timeout) throws IOException {
        long seconds = Math.max(1, timeout.toSeconds());
        PostgresCommand.run(user,
                List.of(binaries.pgCtl().toString(), "stop", "-D", dataDir.toString(), "-m", mode, "-w",
                        "-t", Long.toString(seconds)),
                workDir, outputFile, timeout.plusSeconds(5));
    }
}

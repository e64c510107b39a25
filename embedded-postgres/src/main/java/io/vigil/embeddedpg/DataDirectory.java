package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's data directory: created by initdb on first use, reused afterwards, and cleared of
 * whatever a previous run that never reached close() left behind.
 */
final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final PostgresBinaries binaries;
    private final ProcessUser user;
    private final BaseDirectory base;

    DataDirectory(BaseDirectory base, PostgresBinaries binaries, ProcessUser user) {
        this.dir = base.data();
        this.binaries = binaries;
        this.user = user;
        this.base = base;
    }

    Path path() {
        return dir;
    }

    /** Leaves an initialised data directory that no postmaster is using. */
    void prepare() throws IOException {
        if (!isInitialised()) {
            initialise();
        } else {
            checkReusable();
            recoverFromPreviousRun();
        }
    }

    private boolean isInitialised() throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        if (Files.exists(dir.resolve("PG_VERSION"))) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return false;
            }
        }
        throw new IOException("data directory " + dir + " is not empty but has no PG_VERSION, so it is not a"
                + " PostgreSQL cluster: move its contents away or pass a different base directory");
    }

    /**
     * Runs initdb into a sibling directory and renames it into place, so a run killed halfway through
     * initdb leaves no directory that looks initialised but is not.
     */
    private void initialise() throws IOException {
        Path staging = dir.resolveSibling(dir.getFileName() + ".initdb");
        Directories.deleteRecursively(staging);
        user.ownPrivateDirectory(staging);
        long t0 = System.nanoTime();
        PostgresCommand.run(user, List.of(
                        binaries.initdb().toString(),
                        "-D", staging.toString(),
                        "-A", "trust",
                        "-U", "postgres",
                        "-E", "UTF8",
                        // C rather than C.UTF-8: every libc has it, and sorting does not change when
                        // the host's locale data does.
                        "--locale=C",
                        // Speed over durability for the one-off initialisation; the server itself runs with fsync on.
                        "--no-sync",
                        "--no-instructions"),
                base.path(), base.log().resolve("initdb.log"), INITDB_TIMEOUT);
        Files.deleteIfExists(dir);
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Initialised a new PostgreSQL {} cluster in {} in {} ms", binaries.version(), dir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void checkReusable() throws IOException {
        String pgVersion = Files.readString(dir.resolve("PG_VERSION")).trim();
        if (!pgVersion.equals(binaries.majorVersion())) {
            throw new IOException("data directory " + dir + " was initialised by PostgreSQL " + pgVersion
                    + " but the bundled binaries are " + binaries.version() + ": dump it with pg_dump " + pgVersion
                    + " and restore into a fresh base directory, or remove " + dir + " to start empty");
        }
        int owner = ProcessUser.ownerOf(dir);
        if (owner != user.uid()) {
            throw new IOException("data directory " + dir + " is owned by uid " + owner + " but PostgreSQL runs as '"
                    + user.name() + "' (uid " + user.uid() + "): run 'chown -R " + user.uid() + " " + dir
                    + "', or set -D" + ProcessUser.USER_PROPERTY + " to its owner, or use another base directory");
        }
    }

    /**
     * Deals with a postmaster.pid left by a run that ended without close(): PostgreSQL itself refuses
     * to start while the pid in that file names any live process, even an unrelated one that got the
     * recycled pid.
     */
    private void recoverFromPreviousRun() throws IOException {
        Optional<PostmasterPidFile> found = PostmasterPidFile.read(dir);
        if (found.isEmpty()) {
            return;
        }
        PostmasterPidFile pidFile = found.get();
        LinuxProcess process = pidFile.process();
        if (process.isRunning() && process.commandLine().isEmpty()) {
            // An exiting process has already dropped its argv; give it a moment to be gone for good.
            awaitExit(process, Duration.ofSeconds(5));
        }
        if (pidFile.pid() <= 0 || !process.isRunning()) {
            Files.deleteIfExists(pidFile.file());
            LOG.info("Removed stale {} (pid {} no longer runs): the previous run did not shut down cleanly",
                    PostmasterPidFile.NAME, pidFile.pid());
            return;
        }
        if (!isPostmasterOfThisCluster(process)) {
            Files.deleteIfExists(pidFile.file());
            LOG.info("Removed stale {}: its pid {} now belongs to an unrelated process ({})",
                    PostmasterPidFile.NAME, pidFile.pid(), String.join(" ", process.commandLine()));
            return;
        }
        int runningAs = process.uid().orElse(-1);
        if (runningAs != user.uid()) {
            throw new IOException("a PostgreSQL (pid " + pidFile.pid() + ", uid " + runningAs + ") is running on " + dir
                    + " as a different user than ours (uid " + user.uid() + "): stop it with 'kill -INT "
                    + pidFile.pid() + "'");
        }
        // We hold the base directory lock, so no live EmbeddedPostgres owns this server: it was
        // orphaned by a JVM that died (kill -9, OOM killer) before close().
        LOG.warn("Stopping PostgreSQL pid {} left running on {} by a previous run that did not call close()",
                pidFile.pid(), dir);
        stopOrphan(pidFile);
    }

    private static void awaitExit(LinuxProcess process, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pid " + process.pid() + " to exit", e);
            }
        }
    }

    private boolean isPostmasterOfThisCluster(LinuxProcess process) {
        List<String> argv = process.commandLine();
        if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("postgres")) {
            return false;
        }
        int d = argv.indexOf("-D");
        return d >= 0 && d + 1 < argv.size() && Path.of(argv.get(d + 1)).toAbsolutePath().normalize().equals(dir);
    }

    private void stopOrphan(PostmasterPidFile pidFile) throws IOException {
        PgCtl pgCtl = new PgCtl(binaries, user, base.path(), base.log().resolve("pg_ctl.log"));
        try {
            pgCtl.stop(dir, "fast", STOP_TIMEOUT);
        } catch (IOException fastFailed) {
            LOG.warn("Fast shutdown of orphaned PostgreSQL pid {} failed, trying immediate: {}", pidFile.pid(),
                    fastFailed.getMessage());
            try {
                pgCtl.stop(dir, "immediate", STOP_TIMEOUT);
            } catch (IOException immediateFailed) {
                throw new IOException("cannot stop the PostgreSQL (pid " + pidFile.pid() + ") left running on " + dir
                        + " by a previous run: kill it ('kill -9 " + pidFile.pid() + "') and start again", immediateFailed);
            }
        }
    }
}

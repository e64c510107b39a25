package io.vigil.embeddedpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A base directory under /tmp for one test, and the clean-up that must happen even when the test
 * fails: any postmaster still running on it is killed before the directory is deleted.
 *
 * <p>Not JUnit's @TempDir: that lives under java.io.tmpdir with mode 0700, which the unprivileged
 * server user cannot enter when the tests run as root.
 */
final class ScratchDirectory implements AutoCloseable {

    private final Path path;

    ScratchDirectory() throws IOException {
        path = Files.createTempDirectory(Path.of("/tmp"), "vigil-epg-test-");
        Files.setAttribute(path, "unix:mode", 0755);
    }

    Path path() {
        return path;
    }

    Path base() {
        return path.resolve("base");
    }

    @Override
    public void close() throws IOException {
        killPostmaster(base().resolve("data"));
        Directories.deleteRecursively(path);
    }

    static void killPostmaster(Path dataDir) {
        try {
            Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
            // Only a postgres: a test may have planted a pid file naming some other process.
            if (pidFile.isPresent() && pidFile.get().pid() > 0
                    && pidFile.get().process().commandLine().stream().findFirst().orElse("").endsWith("/postgres")) {
                ProcessHandle.of(pidFile.get().pid()).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
                });
            }
        } catch (IOException ignored) {
            // Nothing running then.
        }
    }
}

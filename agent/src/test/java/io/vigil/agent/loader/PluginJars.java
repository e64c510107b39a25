package io.vigil.agent.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Real plugin files for tests: the built example plugin, and variants of it made on the spot. */
public final class PluginJars {

    private PluginJars() {
    }

    /** The example plugin jar that Maven built and copied to target/test-plugins. */
    public static Path example() {
        String dir = System.getProperty("vigil.test.plugins");
        if (dir == null) {
            throw new IllegalStateException("run through Maven: vigil.test.plugins is not set");
        }
        return Path.of(dir, "vigil-plugin-example.jar");
    }

    /** Copies the example plugin into {@code dir}. */
    public static Path copyExample(Path dir) throws IOException {
        return Files.copy(example(), dir.resolve("vigil-plugin-example.jar"));
    }

    /** The example plugin with another id and another Plugin-Requires. */
    public static Path exampleRequiring(Path dir, String id, String requires) throws IOException {
        Path target = dir.resolve(id + ".jar");
        try (JarFile source = new JarFile(example().toFile());
             OutputStream file = Files.newOutputStream(target)) {
            Manifest manifest = new Manifest(source.getManifest());
            Attributes main = manifest.getMainAttributes();
            main.putValue("Plugin-Id", id);
            main.putValue("Plugin-Requires", requires);
            try (JarOutputStream jar = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
        }
        return target;
    }
}

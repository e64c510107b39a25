package io.vigil.agent.cli;

import io.vigil.agent.loader.PluginJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The built example plugin jar with its manifest changed, for the plugin command's tests. */
final class PluginVariants {

    private PluginVariants() {
    }

    /**
     * A copy of the example plugin named {@code fileName} in {@code dir}.
     *
     * @param manifest main attributes to set; a null value removes the attribute
     * @param withIndex whether to keep META-INF/extensions.idx (the list of its monitors)
     */
    static Path example(Path dir, String fileName, Map<String, String> manifest, boolean withIndex) throws IOException {
        Path target = dir.resolve(fileName);
        try (JarFile source = new JarFile(PluginJars.example().toFile());
             OutputStream file = Files.newOutputStream(target)) {
            Manifest changed = new Manifest(source.getManifest());
            Attributes main = changed.getMainAttributes();
            manifest.forEach((key, value) -> {
                if (value == null) {
                    main.remove(new Attributes.Name(key));
                } else {
                    main.putValue(key, value);
                }
            });
            try (JarOutputStream jar = new JarOutputStream(file, changed)) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)
                            || !withIndex && entry.getName().equals("META-INF/extensions.idx")) {
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

    /** The example plugin at another version. */
    static Path exampleAt(Path dir, String version) throws IOException {
        return example(dir, "vigil-plugin-example-" + version + ".jar", Map.of("Plugin-Version", version), true);
    }
}

package io.vigil.agent.loader;

import io.vigil.api.MonitorFactory;
import io.vigil.api.VigilApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultVersionManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.VersionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins found in the plugins directory and the monitor kinds they offer. Each jar or zip
 * is loaded by PF4J in its own class loader; one that is not a plugin, needs another SPI version
 * or fails to start is refused with one line and the others load regardless.
 */
public final class PluginCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginCatalog.class);

    private final PluginManager manager;
    private final Map<String, LoadedPlugin> plugins;
    private final List<String> problems;

    private PluginCatalog(PluginManager manager, Map<String, LoadedPlugin> plugins, List<String> problems) {
        this.manager = manager;
        this.plugins = plugins;
        this.problems = problems;
    }

    /**
     * A plugin that loaded and offers at least one monitor kind.
     *
     * @param id        plugin id
     * @param version   plugin version
     * @param requires  the SPI range it declared
     * @param file      the jar or zip it came from
     * @param factories its monitor kinds by name
     */
    public record LoadedPlugin(String id, String version, String requires, Path file,
                               Map<String, MonitorFactory> factories) {
    }

    /** Loads every plugin in {@code dir}; a missing directory is an empty catalog with a problem. */
    public static PluginCatalog load(Path dir) {
        List<String> problems = new ArrayList<>();
        Map<String, LoadedPlugin> loaded = new LinkedHashMap<>();
        DefaultPluginManager manager = new DefaultPluginManager(dir);
        manager.setSystemVersion(VigilApi.VERSION);
        if (!Files.isDirectory(dir)) {
            problems.add("plugins directory " + dir + " does not exist; create it and put plugin jars there");
            return new PluginCatalog(manager, loaded, problems);
        }
        for (Path file : candidates(dir)) {
            load(manager, file, problems).ifPresent(p -> loaded.put(p.id(), p));
        }
        return new PluginCatalog(manager, loaded, problems);
    }

    private static List<Path> candidates(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            // PF4J unpacks a zip into a folder beside it; load the zip, not the folder again.
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return Files.isRegularFile(f) && (name.endsWith(".jar") || name.endsWith(".zip"));
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<LoadedPlugin> load(DefaultPluginManager manager, Path file, List<String> problems) {
        String id;
        try {
            id = manager.loadPlugin(file);
        } catch (RuntimeException | LinkageError e) {
            problems.add(file.getFileName() + " is not a loadable Vigil plugin: " + rootMessage(e)
                    + " (a plugin jar needs Plugin-Id and Plugin-Version in its manifest)");
            return Optional.empty();
        }
        if (id == null) {
            problems.add(file.getFileName() + " is not a loadable Vigil plugin (PF4J found no plugin descriptor)");
            return Optional.empty();
        }
        PluginWrapper wrapper = manager.getPlugin(id);
        PluginDescriptor descriptor = wrapper.getDescriptor();
        String requires = descriptor.getRequires() == null ? "*" : descriptor.getRequires();
        Optional<String> mismatch = spiMismatch(id, descriptor.getVersion(), requires);
        if (mismatch.isPresent()) {
            problems.add(mismatch.get());
            manager.unloadPlugin(id);
            return Optional.empty();
        }
        try {
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                problems.add("plugin '" + id + "' did not start (state " + state + "); see the log above");
                manager.unloadPlugin(id);
                return Optional.empty();
            }
            Map<String, MonitorFactory> factories = new LinkedHashMap<>();
            for (MonitorFactory factory : manager.getExtensions(MonitorFactory.class, id)) {
                MonitorFactory previous = factories.put(factory.kind(), factory);
                if (previous != null) {
                    problems.add("plugin '" + id + "' declares monitor kind '" + factory.kind() + "' twice");
                }
            }
            if (factories.isEmpty()) {
                problems.add("plugin '" + id + "' offers no monitor: no @Extension implementing MonitorFactory "
                        + "in META-INF/extensions.idx (is the pf4j annotation processor configured, and is "
                        + "vigil-api 'provided' rather than packed into the plugin?)");
                manager.unloadPlugin(id);
                return Optional.empty();
            }
            LOG.info("loaded plugin {} {} from {} with monitors {}", id, descriptor.getVersion(), file.getFileName(),
                    factories.keySet());
            return Optional.of(new LoadedPlugin(id, descriptor.getVersion(), requires, file, Map.copyOf(factories)));
        } catch (RuntimeException | LinkageError e) {
            problems.add("plugin '" + id + "' failed to start: " + rootMessage(e));
            try {
                manager.unloadPlugin(id);
            } catch (RuntimeException ignored) {
                // already reported; unloading a half-started plugin is best effort
            }
            return Optional.empty();
        }
    }

    /**
     * Whether a plugin's {@code Plugin-Requires} accepts this agent's SPI version: empty when it
     * does, else the one line that refuses it. Used when loading and by {@code vigil-agent plugin
     * install} before a file is put in the plugins directory.
     *
     * @param requires the declared range, {@code *} or {@code null} for any
     */
    public static Optional<String> spiMismatch(String id, String version, String requires) {
        if (requires == null || requires.isBlank() || "*".equals(requires.strip())) {
            return Optional.empty();
        }
        VersionManager versions = new DefaultVersionManager();
        try {
            if (versions.checkVersionConstraint(VigilApi.VERSION, requires)) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.of("plugin '" + id + "' " + version + " declares Plugin-Requires '" + requires
                    + "', which is not a version range such as >=1.0.0 & <2.0.0: ask its author for a fixed build");
        }
        return Optional.of("plugin '" + id + "' " + version + " requires vigil-api " + requires
                + ", this agent has " + VigilApi.VERSION + ": install a build of '" + id
                + "' for this agent or upgrade the agent");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }

    /** Plugins that loaded, by id. */
    public Map<String, LoadedPlugin> plugins() {
        return plugins;
    }

    /** One line per file or plugin that was refused. */
    public List<String> problems() {
        return problems;
    }

    /**
     * The factory for a monitor entry.
     *
     * @param kind the configured kind, or {@code null} to take the plugin's only one
     * @throws IllegalArgumentException saying what exists instead
     */
    public MonitorFactory factory(String plugin, String kind) {
        LoadedPlugin p = plugins.get(plugin);
        if (p == null) {
            throw new IllegalArgumentException("unknown plugin '" + plugin + "'" + (plugins.isEmpty()
                    ? ": no plugin is loaded"
                    : "; loaded plugins: " + String.join(", ", plugins.keySet())));
        }
        if (kind == null) {
            if (p.factories().size() == 1) {
                return p.factories().values().iterator().next();
            }
            throw new IllegalArgumentException("plugin '" + plugin + "' offers several monitors, set kind to one of: "
                    + String.join(", ", p.factories().keySet()));
        }
        MonitorFactory f = p.factories().get(kind);
        if (f == null) {
            throw new IllegalArgumentException("plugin '" + plugin + "' has no monitor kind '" + kind
                    + "'; it offers: " + String.join(", ", p.factories().keySet()));
        }
        return f;
    }

    @Override
    public void close() {
        // stopPlugins() throws ConcurrentModificationException in PF4J 3.15 (pf4j #656)
        manager.unloadPlugins();
    }
}

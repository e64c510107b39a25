package io.vigil.agent.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.MonitorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCatalogTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheExamplePluginFromItsJarInItsOwnClassLoader() throws Exception {
        PluginJars.copyExample(dir);
        try (PluginCatalog catalog = PluginCatalog.load(dir)) {
            assertEquals(List.of(), catalog.problems());
            PluginCatalog.LoadedPlugin example = catalog.plugins().get("example");
            assertEquals(Set.of("heartbeat", "loadavg"), example.factories().keySet());
            MonitorFactory heartbeat = catalog.factory("example", "heartbeat");
            assertEquals("heartbeat", heartbeat.kind());
            assertTrue(heartbeat.getClass().getClassLoader() != getClass().getClassLoader(),
                    "plugin classes must come from the plugin's class loader, not the agent's class path");
        }
    }

    @Test
    void aJarThatIsNotAPluginIsRefusedWithOneLineAndOthersStillLoad() throws Exception {
        PluginJars.copyExample(dir);
        Files.write(dir.resolve("broken.jar"), "not a zip at all".getBytes());
        try (PluginCatalog catalog = PluginCatalog.load(dir)) {
            assertEquals(1, catalog.problems().size());
            assertTrue(catalog.problems().get(0).startsWith("broken.jar is not a loadable Vigil plugin: "),
                    catalog.problems().get(0));
            assertEquals(Set.of("example"), catalog.plugins().keySet());
        }
    }

    @Test
    void aPluginForAnotherSpiVersionIsRefusedNamingBothVersions() throws Exception {
        PluginJars.exampleRequiring(dir, "future", ">=2.0.0 & <3.0.0");
        try (PluginCatalog catalog = PluginCatalog.load(dir)) {
            assertEquals(List.of("plugin 'future' 0.1.0-SNAPSHOT requires vigil-api >=2.0.0 & <3.0.0, this agent has "
                    + "1.0.0: install a build of 'future' for this agent or upgrade the agent"), catalog.problems());
            assertTrue(catalog.plugins().isEmpty());
        }
    }

    @Test
    void unknownPluginAndKindListWhatExists() throws Exception {
        PluginJars.copyExample(dir);
        try (PluginCatalog catalog = PluginCatalog.load(dir)) {
            assertEquals("unknown plugin 'exampel'; loaded plugins: example",
                    assertThrows(IllegalArgumentException.class, () -> catalog.factory("exampel", null)).getMessage());
            assertEquals("plugin 'example' offers several monitors, set kind to one of: heartbeat, loadavg",
                    assertThrows(IllegalArgumentException.class, () -> catalog.factory("example", null)).getMessage()
                            .replace("loadavg, heartbeat", "heartbeat, loadavg"));
            assertEquals("plugin 'example' has no monitor kind 'beat'; it offers: heartbeat, loadavg",
                    assertThrows(IllegalArgumentException.class, () -> catalog.factory("example", "beat")).getMessage()
                            .replace("loadavg, heartbeat", "heartbeat, loadavg"));
        }
    }

    @Test
    void aMissingPluginsDirectoryIsReported() {
        try (PluginCatalog catalog = PluginCatalog.load(dir.resolve("nope"))) {
            assertEquals(List.of("plugins directory " + dir.resolve("nope") + " does not exist; create it and put plugin jars there"),
                    catalog.problems());
        }
    }
}

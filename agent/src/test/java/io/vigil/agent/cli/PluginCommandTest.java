package io.vigil.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.loader.PluginJars;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCommandTest {

    private static final String RESTART = "restart the agent to load it (systemctl restart vigil-agent)";
    private static final String REQUIRES = ">=1.0.0 & <2.0.0";

    @TempDir
    Path dir;

    private Path plugins;
    private Path downloads;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private HttpServer http;

    @BeforeEach
    void directories() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        downloads = Files.createDirectories(dir.resolve("downloads"));
    }

    @AfterEach
    void stopServer() {
        if (http != null) {
            http.stop(0);
        }
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return VigilAgentCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private List<String> pluginsDirEntries() throws Exception {
        try (Stream<Path> files = Files.list(plugins)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private String serve(String path, byte[] body, AtomicInteger requests) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void installChecksAFileThenPutsItInThePluginsDirectoryAsIdAndVersionReadableByAll() throws Exception {
        Path jar = Files.copy(PluginJars.example(), downloads.resolve("vigil-plugin-example.jar"));

        assertEquals(0, run("plugin", "install", jar.toString(), "--dir", plugins.toString()), err.toString());

        Path installed = plugins.resolve("example-0.1.0-SNAPSHOT.jar");
        assertEquals("installed plugin 'example' 0.1.0-SNAPSHOT (requires vigil-api " + REQUIRES + ") as "
                + installed + "; " + RESTART + "\n", out.toString());
        assertEquals(List.of("example-0.1.0-SNAPSHOT.jar"), pluginsDirEntries(), "no staging directory is left");
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(installed));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)),
                "the agent runs as another user than the one installing");
        assertEquals(0, run("plugin", "list", "--dir", plugins.toString()), err.toString());
        assertTrue(out.toString().startsWith("example 0.1.0-SNAPSHOT (requires vigil-api " + REQUIRES
                + ") from example-0.1.0-SNAPSHOT.jar"), out.toString());
    }

    @Test
    void installRefusesAPluginForAnotherSpiVersionWithOneLineAndCopiesNothing() throws Exception {
        Path future = PluginJars.exampleRequiring(downloads, "future", ">=2.0.0 & <3.0.0");

        assertEquals(1, run("plugin", "install", future.toString(), "--dir", plugins.toString()));

        assertEquals("error: plugin 'future' 0.1.0-SNAPSHOT requires vigil-api >=2.0.0 & <3.0.0, this agent has 1.0.0: "
                + "install a build of 'future' for this agent or upgrade the agent; nothing was installed\n", err.toString());
        assertEquals("", out.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void installRefusesAPluginWhoseRequiresIsNotAVersionRange() throws Exception {
        Path odd = PluginJars.exampleRequiring(downloads, "odd", "version two please");

        assertEquals(1, run("plugin", "install", odd.toString(), "--dir", plugins.toString()));

        assertEquals("error: plugin 'odd' 0.1.0-SNAPSHOT declares Plugin-Requires 'version two please', which is not a "
                + "version range such as >=1.0.0 & <2.0.0: ask its author for a fixed build; nothing was installed\n",
                err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void installRefusesAJarWithoutPluginId() throws Exception {
        Map<String, String> noId = new HashMap<>();
        noId.put("Plugin-Id", null);
        Path plain = PluginVariants.example(downloads, "plain.jar", noId, true);

        assertEquals(1, run("plugin", "install", plain.toString(), "--dir", plugins.toString()));

        assertEquals("error: plain.jar is not a Vigil plugin: it has no Plugin-Id (a plugin jar needs Plugin-Id and "
                + "Plugin-Version in its manifest); nothing was installed\n", err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void installRefusesAFileThatIsNotAJar() throws Exception {
        Path text = Files.writeString(downloads.resolve("notes.jar"), "not a zip at all");

        assertEquals(1, run("plugin", "install", text.toString(), "--dir", plugins.toString()));

        assertTrue(err.toString().startsWith("error: notes.jar is not a Vigil plugin: it is not a jar or zip file ("),
                err.toString());
        assertTrue(err.toString().endsWith("; nothing was installed\n"), err.toString());
        assertEquals(1, err.toString().lines().count());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void installRefusesAPluginJarThatOffersNoMonitor() throws Exception {
        Path bare = PluginVariants.example(downloads, "bare.jar", Map.of(), false);

        assertEquals(1, run("plugin", "install", bare.toString(), "--dir", plugins.toString()));

        assertEquals("error: plugin 'example' 0.1.0-SNAPSHOT in bare.jar offers no monitor: it has no "
                + "META-INF/extensions.idx (is the pf4j annotation processor configured?); nothing was installed\n",
                err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void installingANewerVersionRemovesTheOlderFileOfTheSamePlugin() throws Exception {
        // as the installer lays out a bundled plugin
        Files.copy(PluginJars.example(), plugins.resolve("vigil-plugin-example-0.1.0-SNAPSHOT.jar"));
        Path newer = PluginVariants.exampleAt(downloads, "0.2.0");

        assertEquals(0, run("plugin", "install", newer.toString(), "--dir", plugins.toString()), err.toString());

        assertEquals("installed plugin 'example' 0.2.0 (requires vigil-api " + REQUIRES + ") as "
                + plugins.resolve("example-0.2.0.jar") + ", replacing 0.1.0-SNAPSHOT (vigil-plugin-example-0.1.0-SNAPSHOT.jar); "
                + RESTART + "\n", out.toString());
        assertEquals(List.of("example-0.2.0.jar"), pluginsDirEntries());
    }

    @Test
    void installingAnOlderVersionSaysItIsADowngrade() throws Exception {
        assertEquals(0, run("plugin", "install", PluginVariants.exampleAt(downloads, "0.3.0").toString(),
                "--dir", plugins.toString()), err.toString());

        assertEquals(0, run("plugin", "install", PluginJars.example().toString(), "--dir", plugins.toString()),
                err.toString());

        assertTrue(out.toString().contains(", replacing 0.3.0 (example-0.3.0.jar) (a downgrade); "), out.toString());
        assertEquals(List.of("example-0.1.0-SNAPSHOT.jar"), pluginsDirEntries());
    }

    @Test
    void installingTheSameFileAgainChangesNothing() throws Exception {
        assertEquals(0, run("plugin", "install", PluginJars.example().toString(), "--dir", plugins.toString()));
        Path installed = plugins.resolve("example-0.1.0-SNAPSHOT.jar");
        var modified = Files.getLastModifiedTime(installed);

        assertEquals(0, run("plugin", "install", PluginJars.example().toString(), "--dir", plugins.toString()));

        assertEquals("plugin 'example' 0.1.0-SNAPSHOT is already installed as " + installed + "; nothing changed\n",
                out.toString());
        assertEquals(modified, Files.getLastModifiedTime(installed));
        assertEquals(List.of("example-0.1.0-SNAPSHOT.jar"), pluginsDirEntries());
    }

    @Test
    void installDownloadsFromAnHttpUrl() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        String base = serve("/releases/vigil-plugin-example.jar", Files.readAllBytes(PluginJars.example()), requests);

        assertEquals(0, run("plugin", "install", base + "/releases/vigil-plugin-example.jar", "--dir", plugins.toString()),
                err.toString());

        assertEquals(1, requests.get());
        assertTrue(out.toString().startsWith("installed plugin 'example' 0.1.0-SNAPSHOT"), out.toString());
        assertArrayEquals(Files.readAllBytes(PluginJars.example()), Files.readAllBytes(plugins.resolve("example-0.1.0-SNAPSHOT.jar")));
        assertEquals(List.of("example-0.1.0-SNAPSHOT.jar"), pluginsDirEntries());
    }

    @Test
    void aDownloadOfAnIncompatiblePluginIsRefusedBeforeItReachesThePluginsDirectory() throws Exception {
        Path future = PluginJars.exampleRequiring(downloads, "future", ">=2.0.0 & <3.0.0");
        String base = serve("/future.jar", Files.readAllBytes(future), new AtomicInteger());

        assertEquals(1, run("plugin", "install", base + "/future.jar", "--dir", plugins.toString()));

        assertTrue(err.toString().startsWith("error: plugin 'future' 0.1.0-SNAPSHOT requires vigil-api >=2.0.0 & <3.0.0"),
                err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void aUrlAnswering404InstallsNothing() throws Exception {
        String base = serve("/there.jar", new byte[0], new AtomicInteger());

        assertEquals(1, run("plugin", "install", base + "/missing.jar", "--dir", plugins.toString()));

        assertEquals("error: downloading " + base + "/missing.jar failed: HTTP 404; nothing was installed\n", err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void onlyHttpAndHttpsUrlsAreDownloaded() throws Exception {
        assertEquals(1, run("plugin", "install", "ftp://127.0.0.1/example.jar", "--dir", plugins.toString()));
        assertEquals("error: only http:// and https:// URLs or local files can be installed, not ftp://127.0.0.1/example.jar\n",
                err.toString());

        assertEquals(1, run("plugin", "install", "file://" + PluginJars.example(), "--dir", plugins.toString()));
        assertEquals("error: only http:// and https:// URLs or local files can be installed, not file://"
                + PluginJars.example() + "\n", err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void aFileWithAnotherSha256ThanExpectedIsRefused() throws Exception {
        String actual = PluginInstaller.sha256Of(PluginJars.example());
        String wrong = "0".repeat(64);

        assertEquals(1, run("plugin", "install", PluginJars.example().toString(), "--sha256", wrong,
                "--dir", plugins.toString()));
        assertEquals("error: vigil-plugin-example.jar has SHA-256 " + actual + ", not the expected " + wrong
                + "; nothing was installed\n", err.toString());
        assertEquals(List.of(), pluginsDirEntries());

        assertEquals(0, run("plugin", "install", PluginJars.example().toString(), "--sha256", actual.toUpperCase(),
                "--dir", plugins.toString()), err.toString());
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals(1, run("plugin", "install", dir.resolve("nope.jar").toString(), "--dir", plugins.toString()));
        assertEquals("error: no such file: " + dir.resolve("nope.jar") + "\n", err.toString());
    }

    @Test
    void aZipPluginIsUnpackedBesideItAtInstallSoThatAReadOnlyAgentCanLoadItAndRemovedWithIt() throws Exception {
        Path zip = downloads.resolve("example-bundle.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("plugin.properties"));
            z.write(("plugin.id=example\nplugin.version=0.5.0\nplugin.requires=" + REQUIRES + "\n").getBytes());
            z.closeEntry();
            z.putNextEntry(new java.util.zip.ZipEntry("lib/vigil-plugin-example.jar"));
            z.write(Files.readAllBytes(PluginJars.example()));
            z.closeEntry();
        }

        assertEquals(0, run("plugin", "install", zip.toString(), "--dir", plugins.toString()), err.toString());

        assertEquals(List.of("example-0.5.0", "example-0.5.0.zip"), pluginsDirEntries());
        assertTrue(Files.isRegularFile(plugins.resolve("example-0.5.0/lib/vigil-plugin-example.jar")));
        assertEquals(0, run("plugin", "list", "--dir", plugins.toString()), err.toString());
        assertTrue(out.toString().startsWith("example 0.5.0 (requires vigil-api " + REQUIRES + ") from example-0.5.0.zip"),
                out.toString());

        assertEquals(0, run("plugin", "remove", "example", "--dir", plugins.toString()), err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void removeDeletesEveryFileOfThePlugin() throws Exception {
        Files.copy(PluginJars.example(), plugins.resolve("vigil-plugin-example-0.1.0-SNAPSHOT.jar"));
        PluginJars.exampleRequiring(plugins, "other", REQUIRES);

        assertEquals(0, run("plugin", "remove", "example", "--dir", plugins.toString()), err.toString());

        assertEquals("removed plugin 'example' 0.1.0-SNAPSHOT (vigil-plugin-example-0.1.0-SNAPSHOT.jar); "
                + "restart the agent to unload it (systemctl restart vigil-agent)\n", out.toString());
        assertEquals(List.of("other.jar"), pluginsDirEntries());
    }

    @Test
    void removeOfAPluginThatIsNotThereNamesTheInstalledOnes() throws Exception {
        PluginJars.copyExample(plugins);

        assertEquals(1, run("plugin", "remove", "dokcer", "--dir", plugins.toString()));

        assertEquals("error: no plugin 'dokcer' in " + plugins + "; installed: example\n", err.toString());
        assertEquals(List.of("vigil-plugin-example.jar"), pluginsDirEntries());
    }

    @Test
    void removeIsRefusedWhileConfiguredMonitorsUseThePluginUnlessForced() throws Exception {
        PluginJars.copyExample(plugins);
        Path config = Files.writeString(dir.resolve("agent.yml"), """
                server: {url: "http://127.0.0.1:1", token: abc}
                paths: {plugins: plugins}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat}
                  - {name: load, plugin: example, kind: loadavg}
                  - {name: idle, plugin: example, kind: loadavg, enabled: false}
                """);

        assertEquals(1, run("plugin", "remove", "example", "--config", config.toString()));
        assertEquals("error: monitors beat, load in " + config + " use plugin 'example': take them out of the "
                + "configuration first, or pass --force; nothing was removed\n", err.toString());
        assertEquals(List.of("vigil-plugin-example.jar"), pluginsDirEntries());

        assertEquals(0, run("plugin", "remove", "example", "--force", "--config", config.toString()), err.toString());
        assertEquals(List.of(), pluginsDirEntries());
    }

    @Test
    void pluginListPrintsWhatPluginsPrints() throws Exception {
        PluginJars.copyExample(plugins);
        assertEquals(0, run("plugins", "--dir", plugins.toString()));
        String plugins1 = out.toString();

        assertEquals(0, run("plugin", "list", "--dir", plugins.toString()));

        assertEquals(plugins1, out.toString());
        assertTrue(plugins1.contains("kind heartbeat"), plugins1);
    }
}

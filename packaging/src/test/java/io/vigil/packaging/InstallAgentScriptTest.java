package io.vigil.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install/install-agent.sh into a temporary root (--root, as DESTDIR), from the distribution
 * directory this module lays out: the tree and its modes, idempotence, the unit, uninstall, and
 * the installed launcher running a real agent that ships to a loopback server.
 */
class InstallAgentScriptTest {

    static final Path INSTALL = Path.of(System.getProperty("vigil.install"));
    static final Path DIST = Path.of(System.getProperty("vigil.dist"));
    static final List<String> BUNDLED = List.of("docker", "example", "filesystem", "schema");

    @TempDir
    Path tmp;

    Path root;

    private Shell.Result install(String... options) throws Exception {
        root = tmp.resolve("root");
        List<String> command = new ArrayList<>(List.of(INSTALL.resolve("install-agent.sh").toString(),
                "--root", root.toString(), "--no-systemd"));
        command.addAll(List.of(options));
        if (!command.contains("--from") && !command.contains("--uninstall")) {
            command.addAll(List.of("--from", DIST.toString()));
        }
        return Shell.run(command, Map.of());
    }

    private Path at(String path) {
        return root.resolve(path.substring(1));
    }

    private static List<String> bundledJars() throws Exception {
        try (Stream<Path> jars = Files.list(DIST.resolve("plugins"))) {
            return jars.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsProgramPluginsConfigurationStateAndUnitWithTheirModes() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "agent-token-123\n");

        Shell.Result result = install("--server-url", "https://vigil.example:8443", "--token-file", token.toString()).ok();

        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("/opt/vigil", "d rwxr-xr-x"),
                Map.entry("/opt/vigil/bin/vigil-agent", "f rwxr-xr-x"),
                Map.entry("/opt/vigil/lib/vigil-agent.jar", "f rw-r--r--"),
                Map.entry("/opt/vigil/plugins", "d rwxr-xr-x"),
                Map.entry("/usr/bin/vigil-agent", "l -> /opt/vigil/bin/vigil-agent"),
                Map.entry("/etc/vigil", "d rwxr-x---"),
                Map.entry("/etc/vigil/agent.yml", "f rw-r-----"),
                Map.entry("/etc/vigil/agent.token", "f rw-r-----"),
                Map.entry("/var/lib/vigil", "d rwxr-x---"),
                Map.entry("/var/lib/vigil/agent", "d rwxr-x---"),
                Map.entry("/etc/systemd/system/vigil-agent.service", "f rw-r--r--"),
                Map.entry("/opt/vigil/share/doc/agent.yml.example", "f rw-r--r--")));
        for (String jar : bundledJars()) {
            expected.put("/opt/vigil/plugins/" + jar, "f rw-r--r--");
        }
        Map<String, String> tree = Tree.of(root);
        expected.forEach((path, mode) -> assertEquals(mode, tree.get(path), path + " in " + tree));
        for (String id : BUNDLED) {
            assertEquals("f rw-r--r--", tree.get("/opt/vigil/share/doc/plugins/" + id + "/README.md"), id);
        }
        tree.forEach((path, mode) -> assertFalse(mode.matches("[df] .......w."), path + " is writable by all: " + mode));
        assertEquals(bundledJars().size(), BUNDLED.size(), "the distribution bundles " + BUNDLED);

        String config = Files.readString(at("/etc/vigil/agent.yml"));
        assertTrue(config.contains("\n  url: https://vigil.example:8443\n"), config);
        assertTrue(config.contains("\n  token: ${file:/etc/vigil/agent.token}\n"), config);
        assertEquals("agent-token-123\n", Files.readString(at("/etc/vigil/agent.token")));
        assertFalse(result.out().contains("created system user"), "no user is created under --root: " + result.out());
        assertTrue(result.out().endsWith("change(s) made\n"), result.out());
    }

    @Test
    void aSecondRunChangesNothingAndSaysSo() throws Exception {
        install("--server-url", "http://127.0.0.1:8080").ok();
        Map<String, String> before = Tree.withTimes(root);

        Shell.Result again = install("--server-url", "http://127.0.0.1:8080").ok();

        assertTrue(again.out().endsWith("install-agent: nothing changed: vigil-agent is already installed as asked\n"),
                again.out());
        assertFalse(again.out().contains("install-agent: installed ") || again.out().contains("install-agent: updated "),
                again.out());
        assertEquals(before, Tree.withTimes(root), "the second run wrote nothing");
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerifyAndOurRules() throws Exception {
        install().ok();
        Path unit = at("/etc/systemd/system/vigil-agent.service");

        assertEquals(List.of(), UnitFiles.checkVigilService(root, unit, "/var/lib/vigil/agent"));
        assertEquals("/opt/vigil/bin/vigil-agent run --config /etc/vigil/agent.yml",
                UnitFiles.parse(unit).get("Service").get("ExecStart"));
        assertEquals("2", UnitFiles.parse(unit).get("Service").get("RestartPreventExitStatus"),
                "an invalid configuration must not restart-loop");
        assertEquals("", UnitFiles.systemdAnalyzeVerify(root, "vigil-agent.service"));
    }

    @Test
    void otherDirectoriesAreWrittenIntoTheUnitLauncherAndConfiguration() throws Exception {
        install("--prefix", "/usr/local/vigil", "--config-dir", "/etc/opt/vigil", "--state-dir", "/srv/vigil").ok();

        Map<String, String> service = UnitFiles.parse(at("/etc/systemd/system/vigil-agent.service")).get("Service");
        assertEquals("/usr/local/vigil/bin/vigil-agent run --config /etc/opt/vigil/agent.yml", service.get("ExecStart"));
        assertEquals("/srv/vigil/agent", service.get("ReadWritePaths"));
        assertEquals("-/etc/opt/vigil/agent.env", service.get("EnvironmentFile"));
        assertTrue(Files.readString(at("/usr/local/vigil/bin/vigil-agent")).contains("VIGIL_AGENT_CONFIG:-/etc/opt/vigil/agent.yml"));
        String config = Files.readString(at("/etc/opt/vigil/agent.yml"));
        assertTrue(config.contains("  plugins: /usr/local/vigil/plugins\n") && config.contains("  state: /srv/vigil/agent\n"), config);
        assertEquals("l -> /usr/local/vigil/bin/vigil-agent", Tree.of(root).get("/usr/bin/vigil-agent"));
        assertEquals("", UnitFiles.systemdAnalyzeVerify(root, "vigil-agent.service"));
    }

    @Test
    void theInstalledConfigurationIsValidWithTheBundledPlugins() throws Exception {
        install().ok();
        Files.writeString(at("/etc/vigil/agent.token"), "t\n");
        Path config = Files.writeString(tmp.resolve("agent.yml"), inRoot(Files.readString(at("/etc/vigil/agent.yml"))));

        Shell.Result check = Shell.run(List.of(at("/opt/vigil/bin/vigil-agent").toString(), "check", "--config",
                config.toString()), javaEnv()).ok();

        assertTrue(check.out().startsWith(config + ": OK, server http://127.0.0.1:8080, " + BUNDLED.size()
                + " plugins, 2 monitors"), check.out());
    }

    @Test
    void theInstalledLauncherRunsTheAgentWithTunedFlagsLoadsTheBundledPluginsShipsAndDrainsOnSigterm() throws Exception {
        install().ok();
        Files.writeString(at("/etc/vigil/agent.token"), "agent-token-xyz\n");
        Path watched = Files.createDirectories(tmp.resolve("watched"));
        Files.writeString(watched.resolve("app.conf"), "max_connections = 100\n");
        try (IngestReceiver server = new IngestReceiver("agent-token-xyz")) {
            Path config = Files.writeString(tmp.resolve("agent.yml"), inRoot("""
                    agent: {name: installed-agent, listen: "127.0.0.1:0", heartbeat_interval: 1s, drain_timeout: 5s}
                    server: {url: "%s", token: "${file:/etc/vigil/agent.token}"}
                    paths: {plugins: /opt/vigil/plugins, state: /var/lib/vigil/agent}
                    spool: {linger: 50ms}
                    monitors:
                      - {name: heartbeat, plugin: example, kind: heartbeat, interval: 1s, options: {message: installed}}
                      - {name: watched, plugin: filesystem, kind: integrity, options: {paths: ["%s"]}}
                    """.formatted(server.url(), watched)));
            Path log = tmp.resolve("agent.log");
            ProcessBuilder builder = new ProcessBuilder(at("/opt/vigil/bin/vigil-agent").toString(), "run", "--config",
                    config.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(javaEnv());
            builder.environment().remove("MALLOC_ARENA_MAX");
            Process agent = builder.start();
            try {
                server.awaitEvent(e -> e.path("type").asText().equals("example.heartbeat")
                        && e.path("title").asText().equals("installed"), Duration.ofSeconds(30), "heartbeat event");
                server.awaitEvent(e -> e.path("type").asText().equals("file.baseline"), Duration.ofSeconds(30),
                        "file.baseline event");

                // the launcher exec's the JVM: same pid, with the tuned flags and one malloc arena
                String cmdline = Files.readString(Path.of("/proc", String.valueOf(agent.pid()), "cmdline")).replace('\0', ' ');
                for (String flag : List.of("-XX:+UseSerialGC", "-Xms4m", "-Xmx48m", "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=20", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                        "-XX:ReservedCodeCacheSize=8m")) {
                    assertTrue(cmdline.contains(" " + flag + " "), flag + " in " + cmdline);
                }
                String environ = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(agent.pid()), "environ")),
                        StandardCharsets.UTF_8);
                assertTrue(("\0" + environ).contains("\0MALLOC_ARENA_MAX=1\0"), "MALLOC_ARENA_MAX=1");
                String rss = Files.readAllLines(Path.of("/proc", String.valueOf(agent.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?");
                System.out.println("installed agent with " + BUNDLED.size() + " plugins, 2 monitors, after start: " + rss.replaceAll("\\s+", " "));
            } finally {
                agent.destroy(); // SIGTERM, as systemctl stop sends
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
            String output = Files.readString(log);
            assertEquals(143, agent.exitValue(), "a SIGTERM exit is 143 (SuccessExitStatus=143 in the unit):\n" + output);
            for (String id : BUNDLED) {
                assertTrue(output.contains("loaded plugin " + id + " "), id + " loaded:\n" + output);
            }
            assertTrue(output.contains("2 of 2 monitors running, " + BUNDLED.size() + " plugins"), output);
            assertTrue(output.contains("stopping: 0 items left in the spool for the next start"), output);
            assertTrue(Files.exists(at("/var/lib/vigil/agent/spool.db")), "the spool lives in the state directory");
        }
    }

    @Test
    void anExistingConfigurationIsKeptAsTheOperatorLeftIt() throws Exception {
        install().ok();
        Path config = at("/etc/vigil/agent.yml");
        Files.writeString(config, "# mine\n", java.nio.file.StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String mine = Files.readString(config);

        Shell.Result again = install("--server-url", "https://elsewhere.example").ok();

        assertEquals(mine, Files.readString(config));
        assertEquals("f rw-r-----", Tree.of(root).get("/etc/vigil/agent.yml"), "its mode is set back: it may hold secrets");
        assertTrue(again.out().contains("kept /etc/vigil/agent.yml, whose server.url is not https://elsewhere.example: edit it"),
                again.out());
    }

    @Test
    void anUpgradeRemovesABundledPluginNoLongerShippedAndKeepsPluginsAddedByTheOperator() throws Exception {
        install().ok();
        Files.write(at("/opt/vigil/plugins/added-1.0.jar"), new byte[] {1});
        Path dist2 = tmp.resolve("dist2");
        Files.createDirectories(dist2.resolve("plugins"));
        Files.createDirectories(dist2.resolve("lib"));
        Files.copy(DIST.resolve("lib/vigil-agent.jar"), dist2.resolve("lib/vigil-agent.jar"));
        for (String jar : bundledJars()) {
            if (!jar.contains("schema")) {
                Files.copy(DIST.resolve("plugins").resolve(jar), dist2.resolve("plugins").resolve(jar));
            }
        }

        Shell.Result upgrade = install("--from", dist2.toString()).ok();

        String schemaJar = bundledJars().stream().filter(j -> j.contains("schema")).findFirst().orElseThrow();
        assertTrue(upgrade.out().contains("removed /opt/vigil/plugins/" + schemaJar), upgrade.out());
        assertFalse(Files.exists(at("/opt/vigil/plugins/" + schemaJar)));
        assertTrue(Files.exists(at("/opt/vigil/plugins/added-1.0.jar")));
    }

    @Test
    void uninstallKeepsConfigurationAndStateAndPurgeRemovesThem() throws Exception {
        install().ok();
        Files.writeString(at("/etc/vigil/agent.token"), "t\n");
        Files.writeString(at("/var/lib/vigil/agent/spool.db"), "not shipped yet");
        Files.write(at("/opt/vigil/plugins/added-1.0.jar"), new byte[] {1});

        Shell.Result uninstall = install("--uninstall").ok();

        Map<String, String> left = Tree.of(root);
        assertTrue(left.keySet().containsAll(List.of("/etc/vigil/agent.yml", "/etc/vigil/agent.token",
                "/var/lib/vigil/agent/spool.db", "/opt/vigil/plugins/added-1.0.jar")), left.toString());
        for (String gone : List.of("/opt/vigil/lib", "/opt/vigil/bin", "/usr/bin/vigil-agent",
                "/etc/systemd/system/vigil-agent.service", "/opt/vigil/share")) {
            assertFalse(left.containsKey(gone), gone + " should be gone: " + left);
        }
        assertTrue(uninstall.out().contains("kept /var/lib/vigil/agent (--purge removes it)"), uninstall.out());
        assertTrue(install("--uninstall").ok().out().endsWith("install-agent: nothing changed: vigil-agent is not installed\n"));

        install("--uninstall", "--purge").ok();

        Map<String, String> purged = Tree.of(root);
        assertTrue(purged.keySet().stream().noneMatch(p -> p.contains("vigil")), "nothing of Vigil is left: " + purged);
    }

    @Test
    void purgeWithoutUninstallIsRefused() throws Exception {
        Shell.Result result = install("--purge");
        assertEquals(1, result.exit());
        assertEquals("install-agent: error: --purge goes with --uninstall\n", result.err());
    }

    /** The installed paths as they are under the test's root. */
    private String inRoot(String config) {
        return config.replace("/opt/vigil", root + "/opt/vigil")
                .replace("/var/lib/vigil", root + "/var/lib/vigil")
                .replace("/etc/vigil", root + "/etc/vigil")
                .replace("listen: 127.0.0.1:9273", "listen: \"127.0.0.1:0\"");
    }

    private static Map<String, String> javaEnv() {
        return Map.of("VIGIL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

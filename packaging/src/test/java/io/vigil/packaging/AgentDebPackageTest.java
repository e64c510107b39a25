package io.vigil.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's .deb as jdeb built it at package: its control data, its files with their modes, and
 * what dpkg does with it in a throwaway root (never the running system: dpkg --root, with the
 * maintainer scripts run outside a chroot and told the root by DPKG_ROOT).
 */
class AgentDebPackageTest {

    static final Path DEB = Path.of(System.getProperty("vigil.deb"));
    /** The Maven version, 0.1.0-SNAPSHOT; the package's is 0.1.0~<build time> for a snapshot. */
    static final String VERSION = System.getProperty("vigil.version");

    @TempDir
    Path tmp;

    private static String field(String name) throws Exception {
        return Shell.run("dpkg-deb", "-f", DEB.toString(), name).ok().out().strip();
    }

    @Test
    void controlFieldsNameTheAgentItsJavaAndItsConffile() throws Exception {
        assertEquals("vigil-agent", field("Package"));
        assertEquals("all", field("Architecture"));
        assertEquals("java17-runtime-headless, adduser", field("Depends"));
        assertEquals("admin", field("Section"));
        String expected = VERSION.endsWith("-SNAPSHOT")
                ? java.util.regex.Pattern.quote(VERSION.replace("-SNAPSHOT", "~")) + "\\d{14}"
                : java.util.regex.Pattern.quote(VERSION);
        assertTrue(field("Version").matches(expected), "a snapshot sorts by its build time: " + field("Version"));
        assertTrue(field("Description").startsWith("Vigil monitoring agent\n"), field("Description"));
        assertFalse(field("Maintainer").isEmpty());

        assertEquals("/etc/vigil/agent.yml\n", Shell.run("dpkg-deb", "-I", DEB.toString(), "conffiles").ok().out());
        String info = Shell.run("dpkg-deb", "-I", DEB.toString()).ok().out();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(info.matches("(?s).*\\d+ bytes, +\\d+ lines +\\* +" + script + " +#!/bin/sh.*"),
                    script + " is an executable shell script:\n" + info);
        }
    }

    @Test
    void filesModesAndOwnersAreThoseOfTheInstallScript() throws Exception {
        Map<String, String> listed = new TreeMap<>();
        for (String line : Shell.run("dpkg-deb", "-c", DEB.toString()).ok().out().lines().toList()) {
            String[] f = line.split("\\s+", 6);
            listed.put(f[5], f[0] + " " + f[1]);
        }

        Map<String, String> expected = new TreeMap<>(Map.of(
                "./opt/vigil/lib/vigil-agent.jar", "-rw-r--r-- root/root",
                "./opt/vigil/bin/vigil-agent", "-rwxr-xr-x root/root",
                "./usr/bin/vigil-agent -> /opt/vigil/bin/vigil-agent", "lrw-r--r-- root/root",
                "./lib/systemd/system/vigil-agent.service", "-rw-r--r-- root/root",
                "./etc/vigil/", "drwxr-x--- root/root",
                "./etc/vigil/agent.yml", "-rw-r----- root/root",
                "./opt/vigil/share/doc/agent.yml.example", "-rw-r--r-- root/root"));
        try (Stream<Path> jars = Files.list(InstallAgentScriptTest.DIST.resolve("plugins"))) {
            jars.forEach(j -> expected.put("./opt/vigil/plugins/" + j.getFileName(), "-rw-r--r-- root/root"));
        }
        expected.forEach((path, mode) -> assertEquals(mode, listed.get(path), path + " in " + listed.keySet()));
        listed.forEach((path, mode) -> assertFalse(mode.matches("^.{8}w.*"), path + " writable by all"));
        assertTrue(listed.keySet().stream().noneMatch(p -> p.startsWith("./var/")),
                "the state directory is made by postinst, owned by vigil: " + listed.keySet());
    }

    @Test
    void extractedTheLauncherRunsTheAgentWithTheBundledPluginsAndTheUnitVerifies() throws Exception {
        Path root = tmp.resolve("x");
        Shell.run("dpkg", "-x", DEB.toString(), root.toString()).ok();

        Path launcher = root.resolve("opt/vigil/bin/vigil-agent");
        Map<String, String> env = Map.of("VIGIL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertTrue(Shell.run(List.of(launcher.toString(), "--version"), env).ok().out()
                .startsWith("vigil-agent " + VERSION + " (plugin SPI "));
        String plugins = Shell.run(List.of(launcher.toString(), "plugin", "list", "--dir",
                root.resolve("opt/vigil/plugins").toString()), env).ok().out();
        for (String id : InstallAgentScriptTest.BUNDLED) {
            assertTrue(plugins.lines().anyMatch(l -> l.startsWith(id + " " + VERSION + " (requires vigil-api ")), id + ":\n" + plugins);
        }
        Path install = InstallAgentScriptTest.INSTALL;
        assertArrayEquals(Files.readAllBytes(install.resolve("systemd/vigil-agent.service")),
                Files.readAllBytes(root.resolve("lib/systemd/system/vigil-agent.service")), "the unit is install/'s, unchanged");
        assertArrayEquals(Files.readAllBytes(install.resolve("config/agent.yml")), Files.readAllBytes(root.resolve("etc/vigil/agent.yml")));
        assertEquals(List.of(), UnitFiles.checkVigilService(root, root.resolve("lib/systemd/system/vigil-agent.service"),
                "/var/lib/vigil/agent"));
        assertEquals("", UnitFiles.systemdAnalyzeVerify(root, "vigil-agent.service"));
    }

    @Test
    void dpkgIntoAThrowawayRootRunsTheScriptsRemoveKeepsConfigAndStateAndPurgeRemovesThem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg --root installs files owned by root: run as root");
        Path root = tmp.resolve("sys");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));

        // the dependencies (a Java, adduser) are not in this empty root; the scripts skip users and
        // systemctl under DPKG_ROOT
        dpkg(root, "--force-depends", "--install", DEB.toString());

        assertEquals("install ok installed", Shell.run("dpkg-query", "--root=" + root, "-W", "-f=${Status}", "vigil-agent")
                .ok().out());
        Map<String, String> tree = Tree.of(root);
        assertEquals("d rwxr-x---", tree.get("/var/lib/vigil/agent"), "postinst made the state directory");
        assertEquals("d rwxr-x---", tree.get("/etc/vigil"));
        assertEquals("f rw-r-----", tree.get("/etc/vigil/agent.yml"));
        String conffiles = Shell.run("dpkg-query", "--root=" + root, "-W", "-f=${Conffiles}", "vigil-agent").ok().out();
        assertTrue(conffiles.strip().startsWith("/etc/vigil/agent.yml "), conffiles);

        Files.writeString(root.resolve("etc/vigil/agent.yml"), "# the operator's\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(root.resolve("etc/vigil/agent.token"), "t\n");
        Files.writeString(root.resolve("var/lib/vigil/agent/spool.db"), "not shipped yet");

        dpkg(root, "--remove", "vigil-agent");

        Map<String, String> removed = Tree.of(root);
        assertTrue(removed.keySet().containsAll(List.of("/etc/vigil/agent.yml", "/etc/vigil/agent.token",
                "/var/lib/vigil/agent/spool.db")), removed.toString());
        assertTrue(Files.readString(root.resolve("etc/vigil/agent.yml")).endsWith("# the operator's\n"));
        assertFalse(removed.containsKey("/opt/vigil/lib/vigil-agent.jar"));
        assertFalse(removed.containsKey("/lib/systemd/system/vigil-agent.service"));

        dpkg(root, "--purge", "vigil-agent");

        Map<String, String> purged = Tree.of(root);
        assertTrue(purged.keySet().stream().noneMatch(p -> p.contains("vigil")), purged.toString());
    }

    private static void dpkg(Path root, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--log=/dev/null"));
        command.addAll(List.of(args));
        Shell.run(command, Map.of()).ok();
    }
}

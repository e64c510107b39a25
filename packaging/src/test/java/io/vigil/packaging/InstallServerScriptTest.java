package io.vigil.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install/install-server.sh into a temporary root. The server jar is a stand-in file: this module
 * does not build the server, and what is checked here is where things go, their modes, the unit
 * and server.env, not the server itself (its own and the e2e tests run it).
 */
class InstallServerScriptTest {

    @TempDir
    Path tmp;

    Path root;
    Path from;

    @BeforeEach
    void standInServerJar() throws Exception {
        from = tmp.resolve("server-dist");
        Files.createDirectories(from.resolve("lib"));
        Files.writeString(from.resolve("lib/vigil-server.jar"), "stand-in for server/target/vigil-server.jar");
        root = tmp.resolve("root");
    }

    private Shell.Result install(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(InstallAgentScriptTest.INSTALL.resolve("install-server.sh").toString(),
                "--root", root.toString(), "--no-systemd", "--from", from.toString()));
        command.addAll(List.of(options));
        return Shell.run(command, Map.of());
    }

    private Path at(String path) {
        return root.resolve(path.substring(1));
    }

    @Test
    void installsProgramSettingsAndUnitWithTheirModesAndAFreshAdminToken() throws Exception {
        Path password = Files.writeString(tmp.resolve("db-password"), "s3cret\n");

        install("--db-url", "jdbc:postgresql://db1.example:5432/vigil", "--db-user", "vigil_app",
                "--db-password-file", password.toString(), "--port", "8081").ok();

        Map<String, String> tree = Tree.of(root);
        Map<String, String> expected = Map.of(
                "/opt/vigil/bin/vigil-server", "f rwxr-xr-x",
                "/opt/vigil/lib/vigil-server.jar", "f rw-r--r--",
                "/usr/bin/vigil-server", "l -> /opt/vigil/bin/vigil-server",
                "/etc/vigil", "d rwxr-x---",
                "/etc/vigil/server.env", "f rw-r-----",
                "/etc/vigil/vault.key", "f rw-------",
                "/var/lib/vigil/server", "d rwxr-x---",
                "/etc/systemd/system/vigil-server.service", "f rw-r--r--");
        expected.forEach((path, mode) -> assertEquals(mode, tree.get(path), path + " in " + tree));
        String env = Files.readString(at("/etc/vigil/server.env"));
        assertTrue(env.contains("\nVIGIL_DB_URL=jdbc:postgresql://db1.example:5432/vigil\n"), env);
        assertTrue(env.contains("\nVIGIL_DB_USER=vigil_app\n"), env);
        assertTrue(env.contains("\nVIGIL_DB_PASSWORD=s3cret\n"), env);
        assertTrue(env.contains("\nVIGIL_PORT=8081\n"), env);
        assertTrue(env.matches("(?s).*\nVIGIL_ADMIN_TOKEN=[0-9a-f]{64}\n.*"), env);
        assertTrue(env.contains("\nVIGIL_VAULT_KEY_FILE=/etc/vigil/vault.key\n"), env);
        assertTrue(Files.readString(at("/etc/vigil/vault.key")).matches("k1:[A-Za-z0-9+/]{43}=\n"),
                "one active key of 32 random bytes");
    }

    @Test
    void aServerEnvFromBeforeTheVaultGetsPointedAtTheKeyAndAnExistingKeyIsKept() throws Exception {
        install().ok();
        String key = Files.readString(at("/etc/vigil/vault.key"));
        String env = Files.readString(at("/etc/vigil/server.env"));
        Files.writeString(at("/etc/vigil/server.env"), env.replace("\nVIGIL_VAULT_KEY_FILE=/etc/vigil/vault.key\n", "\n"));

        Shell.Result again = install().ok();

        assertTrue(again.out().contains("install-server: added VIGIL_VAULT_KEY_FILE to /etc/vigil/server.env"), again.out());
        assertTrue(Files.readString(at("/etc/vigil/server.env")).endsWith("\nVIGIL_VAULT_KEY_FILE=/etc/vigil/vault.key\n"));
        assertEquals(key, Files.readString(at("/etc/vigil/vault.key")), "a key is never replaced");
    }

    @Test
    void aSecondRunChangesNothingAndKeepsTheAdminToken() throws Exception {
        install().ok();
        Map<String, String> before = Tree.withTimes(root);
        String env = Files.readString(at("/etc/vigil/server.env"));
        String key = Files.readString(at("/etc/vigil/vault.key"));

        Shell.Result again = install().ok();

        assertTrue(again.out().endsWith("install-server: nothing changed: vigil-server is already installed as asked\n"),
                again.out());
        assertEquals(before, Tree.withTimes(root));
        assertEquals(env, Files.readString(at("/etc/vigil/server.env")));
        assertEquals(key, Files.readString(at("/etc/vigil/vault.key")));
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerifyAndOurRules() throws Exception {
        install().ok();
        Path unit = at("/etc/systemd/system/vigil-server.service");

        assertEquals(List.of(), UnitFiles.checkVigilService(root, unit, "/var/lib/vigil/server"));
        assertEquals("/etc/vigil/server.env", UnitFiles.parse(unit).get("Service").get("EnvironmentFile"));
        assertEquals("", UnitFiles.systemdAnalyzeVerify(root, "vigil-server.service"));
    }

    @Test
    void uninstallKeepsServerEnvAndPurgeRemovesIt() throws Exception {
        install().ok();

        Shell.Result uninstall = install("--uninstall").ok();

        assertTrue(Files.exists(at("/etc/vigil/server.env")));
        assertTrue(Files.exists(at("/etc/vigil/vault.key")), "without its key the stored secrets are lost");
        assertTrue(uninstall.out().contains("kept /etc/vigil/vault.key (--purge removes it)"), uninstall.out());
        assertFalse(Files.exists(at("/opt/vigil")));
        assertFalse(Files.exists(at("/etc/systemd/system/vigil-server.service")));
        assertTrue(uninstall.out().contains("kept /etc/vigil/server.env (--purge removes it)"), uninstall.out());

        Shell.Result purge = install("--uninstall", "--purge").ok();

        assertTrue(Tree.of(root).keySet().stream().noneMatch(p -> p.contains("vigil")), Tree.of(root).toString());
        assertTrue(purge.out().contains("the PostgreSQL database is not touched"), purge.out());
    }

    @Test
    void agentAndServerShareTheUserAndDirectoriesAndUninstallingOneKeepsTheOther() throws Exception {
        install().ok();
        Shell.run(List.of(InstallAgentScriptTest.INSTALL.resolve("install-agent.sh").toString(), "--root", root.toString(),
                "--no-systemd", "--from", InstallAgentScriptTest.DIST.toString()), Map.of()).ok();

        install("--uninstall", "--purge").ok();

        assertTrue(Files.exists(at("/opt/vigil/lib/vigil-agent.jar")));
        assertTrue(Files.exists(at("/opt/vigil/share/doc/operator-guide.md")), "the agent keeps the guide");
        assertTrue(Files.exists(at("/etc/vigil/agent.yml")));
        assertFalse(Files.exists(at("/etc/vigil/server.env")));
    }
}

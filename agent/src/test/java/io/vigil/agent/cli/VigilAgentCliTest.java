package io.vigil.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.loader.PluginJars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilAgentCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void plugins() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        PluginJars.copyExample(dir.resolve("plugins"));
    }

    private int run(String... args) {
        return VigilAgentCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("agent.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void checkAcceptsAValidConfigurationAndShowsEachMonitorWithSecretsHidden() throws Exception {
        Path file = config("""
                server: {url: "http://127.0.0.1:1", token: abc}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat, interval: 5s, options: {message: hi}}
                  - {name: load, plugin: example, kind: loadavg}
                """);
        int code = run("check", "--config", file.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("OK, server http://127.0.0.1:1, 1 plugins, 2 monitors"), out.toString());
        assertTrue(out.toString().contains("beat                 example/heartbeat every PT5S {message=hi, severity=info}"),
                out.toString());
    }

    @Test
    void checkReportsATokenFileThatCannotBeReadAsRunWould() throws Exception {
        Path file = config("""
                server: {url: "http://127.0.0.1:1", token: "${file:%s}"}
                """.formatted(dir.resolve("agent.token")));

        assertEquals(2, run("check", "--config", file.toString()));

        assertEquals("error: " + file + " server.token: secret file:" + dir.resolve("agent.token")
                + " cannot be read: NoSuchFileException\n1 configuration problem; nothing started.\n", err.toString());
    }

    @Test
    void checkReportsOptionErrorsAtTheirLineAndExitsWith2() throws Exception {
        Path file = config("""
                server:
                  url: http://127.0.0.1:1
                  token: abc
                monitors:
                  - name: load
                    plugin: example
                    kind: loadavg
                    options:
                      high_per_cpu: lots
                      cpu: 2
                """);
        assertEquals(2, run("check", "--config", file.toString()));
        String e = err.toString();
        assertTrue(e.contains(file + ":9 monitors[0].options.high_per_cpu: expected a number, got \"lots\""), e);
        assertTrue(e.contains(file + ":10 monitors[0].options.cpu: is not an option of this monitor"), e);
        assertTrue(e.contains("2 configuration problems; nothing started."), e);
        assertFalse(e.contains("\tat "), "no stack trace: " + e);
    }

    @Test
    void anUnknownPluginIsOneLineAtTheMonitorsLine() throws Exception {
        Path file = config("""
                server: {url: "http://127.0.0.1:1", token: abc}
                monitors:
                  - name: x
                    plugin: dokcer
                """);
        assertEquals(2, run("check", "--config", file.toString()));
        assertTrue(err.toString().contains(file + ":3 monitors[0].plugin: unknown plugin 'dokcer'; loaded plugins: example"),
                err.toString());
    }

    @Test
    void runWithAnInvalidConfigurationStartsNothingAndExitsWith2() throws Exception {
        Path file = config("server: {url: http://127.0.0.1:1}\n");
        assertEquals(2, run("run", "--config", file.toString()));
        assertTrue(err.toString().contains("server.token: is required"), err.toString());
        assertFalse(Files.exists(dir.resolve("state")), "nothing may be created before the configuration is valid");
    }

    @Test
    void pluginsListsKindsAndOptionsWithDefaults() throws Exception {
        assertEquals(0, run("plugins", "--dir", dir.resolve("plugins").toString()));
        String o = out.toString();
        assertTrue(o.startsWith("example 0.1.0-SNAPSHOT (requires vigil-api >=1.0.0 & <2.0.0)"), o);
        assertTrue(o.contains("high_per_cpu           decimal      default 2.0. "), o);
    }

    @Test
    void versionNamesTheSpi() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().contains("(plugin SPI 1.0.0)"), out.toString());
    }

    @Test
    void checkWithAMonitorNameRunsItOncePrintsItsEventsAndLeavesStateAlone() throws Exception {
        Path file = config("""
                agent: {listen: off}
                server: {url: "http://127.0.0.1:1", token: abc}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat, options: {message: dry}}
                """);
        assertEquals(0, run("check", "beat", "--config", file.toString()), err.toString());
        assertEquals(0, run("check", "beat", "--config", file.toString()), err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(2, lines.length, out.toString());
        for (String line : lines) {
            // the beat counter is state: a dry run works on a copy, so both runs are beat 1
            assertTrue(line.contains("\"type\":\"example.heartbeat\"") && line.contains("\"beat\":1")
                    && line.contains("\"title\":\"dry\""), line);
        }
        assertTrue(err.toString().contains("monitor beat: 1 events, 0 metric samples, 0 failures, 0 timeouts"), err.toString());
    }

    @Test
    void checkWithAnUnknownMonitorNameListsTheConfiguredOnes() throws Exception {
        Path file = config("""
                server: {url: "http://127.0.0.1:1", token: abc}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat}
                """);
        assertEquals(2, run("check", "nope", "--config", file.toString()));
        assertTrue(err.toString().contains("no enabled monitor named 'nope'"), err.toString());
        assertTrue(err.toString().contains("monitors: beat"), err.toString());
    }

    @Test
    void configValidateIsCheckWithoutAMonitor() throws Exception {
        Path file = config("""
                server: {url: "http://127.0.0.1:1", token: abc}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat}
                """);
        assertEquals(0, run("config", "validate", "--config", file.toString()), err.toString());
        assertTrue(out.toString().contains("OK, server http://127.0.0.1:1, 1 plugins, 1 monitors"), out.toString());
    }

    @Test
    void statusWithoutARunningAgentSaysSoAndExits3() throws Exception {
        Path file = config("""
                agent: {listen: "127.0.0.1:1"}
                server: {url: "http://127.0.0.1:1", token: abc}
                """);
        assertEquals(3, run("status", "--config", file.toString()));
        assertTrue(err.toString().startsWith("no agent answers on http://127.0.0.1:1/status"), err.toString());
    }
}

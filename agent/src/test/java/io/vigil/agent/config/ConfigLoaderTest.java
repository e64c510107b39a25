package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("agent.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = write(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        return e.problems().stream().map(p -> p.toString().replace(file.toString(), "agent.yml")).toList();
    }

    @Test
    void readsAFullConfigurationWithDefaultsAndRelativePathsFromTheFilesFolder() throws Exception {
        AgentConfig c = ConfigLoader.load(write("""
                agent:
                  name: web-1
                server:
                  url: http://127.0.0.1:8080
                  token: ${env:VIGIL_AGENT_TOKEN}
                spool:
                  max_bytes: 64MiB
                monitors:
                  - name: beat
                    plugin: example
                    kind: heartbeat
                    interval: 10s
                    options:
                      message: hello
                """));
        assertEquals("web-1", c.agentName());
        assertEquals("http://127.0.0.1:8080", c.serverUrl().toString());
        assertEquals("${env:VIGIL_AGENT_TOKEN}", c.tokenRef());
        assertEquals(64L << 20, c.spool().maxBytes());
        assertEquals(5000, c.spool().batchMaxItems());
        assertEquals(dir.resolve("plugins"), c.pluginsDir());
        assertEquals(dir.resolve("state"), c.stateDir());
        MonitorConfig m = c.monitors().get(0);
        assertEquals("beat", m.name());
        assertEquals(Duration.ofSeconds(10), m.interval());
        assertEquals(Map.of("message", "hello"), m.options());
        assertEquals(14, m.lineOf("message"));
    }

    @Test
    void malformedYamlNamesFileAndLine() throws Exception {
        List<String> p = problems("""
                server:
                  url: http://x
                  token: [unclosed
                monitors: []
                """);
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("agent.yml:4 invalid YAML: "), p.get(0));
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() throws Exception {
        List<String> p = problems("""
                server:
                  url: http://x
                  token: t
                monitors:
                  - name: beat
                    plugin: example
                    intervall: 10s
                """);
        assertEquals(List.of("agent.yml:7 monitors[0].intervall: unknown key; did you mean \"interval\"?"), p);
    }

    @Test
    void everyProblemIsReportedAtOnceEachWithItsLineAndPath() throws Exception {
        List<String> p = problems("""
                server:
                  url: ftp://x
                spool:
                  max_bytes: lots
                monitors:
                  - name: beat
                    plugin: example
                    interval: fast
                  - name: beat
                """);
        assertEquals(List.of(
                "agent.yml:2 server.url: expected an http:// or https:// URL, got \"ftp://x\"",
                "agent.yml:1 server.token: is required: the agent token the server issued, or ${env:NAME} / ${file:/path}",
                "agent.yml:4 spool.max_bytes: expected a size like 256MiB, got \"lots\"",
                "agent.yml:8 monitors[0].interval: expected a duration like 30s, got \"fast\"",
                "agent.yml:9 monitors[1].name: \"beat\" is already used by another monitor",
                "agent.yml:9 monitors[1].plugin: is required: the id of the plugin that provides this monitor"), p);
    }

    @Test
    void aMissingFileSaysSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yml")));
        assertTrue(e.getMessage().endsWith("nope.yml no such file; pass the agent configuration with --config"),
                e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        assertEquals(List.of("agent.yml the file is empty; see the sample agent.yml"), problems(""));
    }
}

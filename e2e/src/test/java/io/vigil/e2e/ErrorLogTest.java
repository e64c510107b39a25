package io.vigil.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agent.Agent;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.server.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that keeps failing on an agent ends up as one error group in the server's error log,
 * with a count; the agent's error book is empty once the server took the reports.
 */
@Timeout(120)
class ErrorLogTest {

    @TempDir
    Path dir;

    @Test
    void aFailingPluginOnTheAgentIsOneErrorGroupOnTheServer() throws Exception {
        try (TestPostgres pg = TestPostgres.create();
             VigilServerUnderTest server = new VigilServerUnderTest(pg).start()) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            Files.copy(Path.of(System.getProperty("vigil.e2e.plugins"), "vigil-plugin-example.jar"),
                    plugins.resolve("vigil-plugin-example.jar"));
            Path config = Files.writeString(dir.resolve("agent.yml"), """
                    agent:
                      name: e2e-agent
                      host: e2e-host
                      listen: off
                      heartbeat_interval: 200ms
                    server:
                      url: %s
                      token: ${env:VIGIL_AGENT_TOKEN}
                    monitors:
                      - name: broken-load
                        plugin: example
                        kind: loadavg
                        interval: 100ms
                        options:
                          path: %s
                          cpus: 2
                    """.formatted(server.url(), dir.resolve("no-such-loadavg")));
            try (Agent agent = Agent.start(ConfigLoader.load(config),
                    new EnvironmentSecrets(Map.of("VIGIL_AGENT_TOKEN", VigilServerUnderTest.AGENT_TOKEN)),
                    Clock.systemUTC())) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (occurrences(pg) < 2) {
                    assertTrue(System.nanoTime() < deadline, "no error group with 2 occurrences within 60 s");
                    Thread.sleep(100);
                }
                assertEquals(1, count(pg, "SELECT count(*) FROM error_groups WHERE source = 'e2e-agent' "
                        + "AND component = 'monitor:broken-load'"), "one group however often it failed");
                HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(server.url() + "/api/v1/errors?source=e2e-agent&status=open"))
                        .header("Authorization", "Bearer " + VigilServerUnderTest.ADMIN_TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode group = new ObjectMapper().readTree(list.body()).get("groups").get(0);
                assertEquals("monitor:broken-load", group.get("component").asText());
                assertEquals("java.nio.file.NoSuchFileException", group.get("exception_type").asText());
                assertEquals("error", group.get("severity").asText());
                while (agent.errors().rows() > 0) {
                    // the monitor keeps failing: rows come and go; one moment of an empty book is enough
                    assertTrue(System.nanoTime() < deadline, "the error book never emptied");
                    Thread.sleep(20);
                }
            }
        }
    }

    private static long occurrences(TestPostgres pg) throws Exception {
        return count(pg, "SELECT COALESCE(SUM(occurrences), 0) FROM error_groups WHERE source = 'e2e-agent' "
                + "AND component = 'monitor:broken-load'");
    }

    private static long count(TestPostgres pg, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

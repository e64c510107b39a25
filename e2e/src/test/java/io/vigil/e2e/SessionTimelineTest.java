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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent started and stopped twice against the real server: each process is a session whose
 * timeline runs from agent.session_started to agent.session_ended, and the second start knows the
 * first ended cleanly.
 */
@Timeout(180)
class SessionTimelineTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void eachAgentRunIsASessionWhoseTimelineTheServerServesFromStartToEnd() throws Exception {
        try (TestPostgres pg = TestPostgres.create(); VigilServerUnderTest server = new VigilServerUnderTest(pg).start()) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            Files.copy(Path.of(System.getProperty("vigil.e2e.plugins"), "vigil-plugin-example.jar"),
                    plugins.resolve("vigil-plugin-example.jar"));
            Path config = Files.writeString(dir.resolve("agent.yml"), """
                    agent: {name: session-agent, host: session-host, listen: off}
                    server: {url: %s, token: "${env:VIGIL_AGENT_TOKEN}"}
                    spool: {linger: 20ms}
                    monitors:
                      - {name: beat, plugin: example, kind: heartbeat, interval: 200ms, timeout: 10s, options: {message: hi}}
                    """.formatted(server.url()));
            String first = runUntilShipped(config, 5);
            String second = runUntilShipped(config, 5);

            JsonNode timeline = get(server, "/api/v1/timelines/session/" + first + "?limit=1000");
            List<String> types = new ArrayList<>();
            timeline.get("events").forEach(e -> types.add(e.get("type").asText()));
            assertEquals("agent.session_started", types.get(0));
            assertEquals("agent.session_ended", types.get(types.size() - 1));
            long beats = types.stream().filter("example.heartbeat"::equals).count();
            assertTrue(beats >= 5, types.toString());
            assertEquals(List.of(), types.subList(1, types.size() - 1).stream()
                    .filter(t -> !t.equals("example.heartbeat") && !t.startsWith("agent.monitor.")).toList(),
                    "between start and end only the monitor's events (and the agent's word on the monitor)");
            assertEquals(types.size(), timeline.get("summary").get("total").asLong());
            JsonNode counts = timeline.get("events").get(types.size() - 1).get("attributes");
            assertEquals(beats, counts.get("events_emitted").asLong(), "every event the monitor emitted arrived");

            JsonNode sessions = get(server, "/api/v1/sessions?agent=session-agent").get("sessions");
            assertEquals(2, sessions.size(), sessions.toString());
            JsonNode latest = sessions.get(0);
            JsonNode earlier = sessions.get(1);
            assertEquals(second, latest.get("session_id").asText());
            assertEquals(first, latest.get("previous_session_id").asText());
            assertEquals(true, latest.get("previous_ended_cleanly").asBoolean(false));
            assertEquals(first, earlier.get("session_id").asText());
            assertEquals("ended", earlier.get("state").asText());
            assertEquals("session-host", earlier.get("host").asText());
            assertEquals(beats, earlier.get("counts").get("events_emitted").asLong());
            assertEquals(0, get(server, "/api/v1/alerts?rule=agent-unclean-restart").get("alerts").size());
        }
    }

    /** Starts the agent, waits until the server holds {@code beats} heartbeats of it, stops it; its session id. */
    private String runUntilShipped(Path config, int beats) throws Exception {
        Agent agent = Agent.start(ConfigLoader.load(config),
                new EnvironmentSecrets(Map.of("VIGIL_AGENT_TOKEN", VigilServerUnderTest.AGENT_TOKEN)), Clock.systemUTC());
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (agent.shipper().stats().shippedEvents() < beats + 1) {
                assertTrue(System.nanoTime() < deadline, "the agent shipped too little");
                Thread.sleep(50);
            }
            return agent.sessionId();
        } finally {
            agent.close();
        }
    }

    private JsonNode get(VigilServerUnderTest server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + VigilServerUnderTest.ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }
}

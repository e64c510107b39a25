package io.vigil.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agent.Agent;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.agent.loader.PluginJars;
import io.vigil.agent.schedule.SpooledItems;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.state.SqliteStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AgentSessionTest {

    @TempDir
    Path dir;

    private static final AgentSession.Identity IDENTITY = new AgentSession.Identity("web-1", "web-1.example", "1.4.0",
            Map.of("example", "0.1.0"), List.of("beat", "load"));

    @Test
    void theFirstSessionOfAnAgentStartsWithItsIdentityAndNoPreviousSession() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
             SqliteStateStore state = SqliteStateStore.open(dir.resolve("state.db"))) {
            AgentSession.begin("s-1", IDENTITY, spool, state, Clock.systemUTC());

            List<JsonNode> events = SpooledItems.events(spool);
            assertEquals(1, events.size());
            JsonNode started = events.get(0);
            assertEquals("agent.session_started", started.get("type").asText());
            assertEquals("info", started.get("severity").asText());
            assertEquals("web-1", started.get("subject").asText());
            assertEquals("s-1", started.get("session_id").asText());
            assertEquals("agent", started.get("plugin").asText());
            JsonNode a = started.get("attributes");
            assertEquals("s-1", a.get("session_id").asText());
            assertEquals("1.4.0", a.get("version").asText());
            assertEquals(ProcessHandle.current().pid(), a.get("pid").asLong());
            assertEquals("web-1.example", a.get("host").asText());
            assertEquals("0.1.0", a.get("plugins").get("example").asText());
            assertEquals("[\"beat\",\"load\"]", a.get("monitors").toString());
            assertTrue(a.get("previous_session_id").isNull());
            assertTrue(a.get("previous_ended_cleanly").isNull());
        }
    }

    @Test
    void aSessionThatNeverEndedIsReportedAsUncleanByTheNextStart() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
             SqliteStateStore state = SqliteStateStore.open(dir.resolve("state.db"))) {
            AgentSession.begin("s-crashed", IDENTITY, spool, state, Clock.systemUTC());
            // the process dies here: no end(), the state keeps "s-crashed" without the clean flag
        }
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
             SqliteStateStore state = SqliteStateStore.open(dir.resolve("state.db"))) {
            AgentSession.begin("s-next", IDENTITY, spool, state, Clock.systemUTC());

            JsonNode started = SpooledItems.events(spool).get(1);
            assertEquals("s-next", started.get("session_id").asText());
            assertEquals("medium", started.get("severity").asText());
            assertEquals("s-crashed", started.get("attributes").get("previous_session_id").asText());
            assertEquals(false, started.get("attributes").get("previous_ended_cleanly").asBoolean(true));
            assertTrue(started.get("title").asText().contains("unclean stop of session s-crashed"));
        }
    }

    @Test
    void aSessionThatEndedIsReportedAsCleanByTheNextStartAndEachSessionEventIsItsOwnTrace() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 24);
             SqliteStateStore state = SqliteStateStore.open(dir.resolve("state.db"))) {
            AgentSession session = AgentSession.begin("s-1", IDENTITY, spool, state, Clock.systemUTC());
            session.end(List.of(), new io.vigil.agent.ship.ShipStats());
            session.end(List.of(), new io.vigil.agent.ship.ShipStats()); // a second stop reports nothing more
            AgentSession.begin("s-2", IDENTITY, spool, state, Clock.systemUTC());

            List<JsonNode> events = SpooledItems.events(spool);
            assertEquals(List.of("agent.session_started", "agent.session_ended", "agent.session_started"),
                    SpooledItems.types(events));
            JsonNode next = events.get(2).get("attributes");
            assertEquals("s-1", next.get("previous_session_id").asText());
            assertEquals(true, next.get("previous_ended_cleanly").asBoolean(false));
            Set<String> traces = events.stream().map(e -> e.get("trace_id").asText()).collect(Collectors.toSet());
            assertEquals(3, traces.size(), "one trace per session event");
            assertNotEquals("s-1", events.get(0).get("trace_id").asText(), "a trace is not the session");
        }
    }

    @Test
    void aRunningAgentSpoolsSessionStartedFirstAndSessionEndedWithItsCountsWhenItStops() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        PluginJars.copyExample(dir.resolve("plugins"));
        // port 1 refuses connections: nothing ships, every event stays in the spool to be counted
        Path config = Files.writeString(dir.resolve("agent.yml"), """
                agent: {name: counted, host: counted-host, listen: off, drain_timeout: 100ms}
                server: {url: "http://127.0.0.1:1", token: abc}
                spool: {linger: 10ms, initial_backoff: 10ms, max_backoff: 50ms}
                monitors:
                  - {name: beat, plugin: example, kind: heartbeat, interval: 100ms, options: {message: hi}}
                """);
        Agent agent = Agent.start(ConfigLoader.load(config), new EnvironmentSecrets(Map.of()), Clock.systemUTC());
        String session = agent.sessionId();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (agent.spool().depth() < 6 || agent.shipper().stats().failedAttempts() < 1) {
            assertTrue(System.nanoTime() < deadline, "the monitor did not run and the shipper did not try");
            Thread.sleep(20);
        }
        agent.close();

        try (Spool spool = Spool.open(dir.resolve("state/spool.db"), 1 << 24)) {
            List<JsonNode> events = SpooledItems.events(spool);
            List<String> types = SpooledItems.types(events);
            assertEquals("agent.session_started", types.get(0));
            assertEquals("agent.session_ended", types.get(types.size() - 1));
            long beats = types.stream().filter("example.heartbeat"::equals).count();
            assertEquals(types.size() - 2, beats, "only the monitor's events between start and end: " + types);
            JsonNode started = events.get(0).get("attributes");
            assertEquals("[\"beat\"]", started.get("monitors").toString());
            assertEquals("counted-host", started.get("host").asText());
            assertTrue(started.get("plugins").has("example"));
            JsonNode ended = events.get(events.size() - 1);
            assertEquals(session, ended.get("session_id").asText());
            JsonNode counts = ended.get("attributes");
            assertEquals(beats, counts.get("events_emitted").asLong());
            assertEquals(beats, counts.get("monitor_runs").asLong(), "one heartbeat per run");
            assertEquals(0, counts.get("monitor_failures").asLong());
            assertEquals(0, counts.get("events_shipped").asLong());
            assertTrue(counts.get("ship_failures").asLong() >= 1, counts.toString());
            assertTrue(counts.get("uptime_s").asLong() >= 0);
        }
        try (SqliteStateStore state = SqliteStateStore.open(dir.resolve("state/state.db"))) {
            var scope = state.forMonitor(AgentSession.STATE_SCOPE);
            assertEquals(session, scope.get(AgentSession.LAST_SESSION).orElseThrow());
            assertEquals("true", scope.get(AgentSession.LAST_ENDED_CLEANLY).orElseThrow());
        }
    }
}

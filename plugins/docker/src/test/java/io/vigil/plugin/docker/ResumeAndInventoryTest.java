package io.vigil.plugin.docker;

import static io.vigil.plugin.docker.MonitorRun.settle;
import static io.vigil.plugin.docker.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The inventory, and resuming from the cursor after a cut stream, an engine outage or an agent restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeAndInventoryTest {

    private TestEngine engine;
    private String name;

    @BeforeAll
    void connect() {
        engine = TestEngine.connect();
    }

    @BeforeEach
    void clean() {
        engine.removeTestContainers();
        name = "vt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeContainers() {
        engine.removeTestContainers();
    }

    @AfterAll
    void disconnect() throws Exception {
        engine.close();
    }

    @Test
    void inventoryIsOneEventWithCountsAndACompactListAndNoPerContainerEvents() throws Exception {
        engine.run(name + "-up", "sleep", "600");
        engine.create(name + "-new", c -> { }, "sleep", "600");
        String done = engine.run(name + "-done", "true");
        engine.docker.waitContainerCmd(done).start().awaitStatusCode(10, TimeUnit.SECONDS);
        try (MonitorRun run = MonitorRun.start(MonitorRun.context(Map.of()))) {
            List<Event> inventories = run.ofType("docker.inventory");
            assertEquals(1, inventories.size());
            Event inventory = inventories.get(0);
            assertEquals(Severity.INFO, inventory.severity());
            assertEquals("start", inventory.attributes().get("reason"));
            assertEquals(3, inventory.attributes().get("total"));
            assertEquals(Map.of("running", 1, "paused", 0, "restarting", 0, "exited", 1, "created", 1, "dead", 0),
                    inventory.attributes().get("states"));
            assertEquals(0, inventory.attributes().get("databases"));
            assertEquals(false, inventory.attributes().get("truncated"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> listed = (List<Map<String, Object>>) inventory.attributes().get("containers");
            assertEquals(Set.of(name + "-up:running", name + "-new:created", name + "-done:exited"),
                    listed.stream().map(m -> m.get("name") + ":" + m.get("state")).collect(Collectors.toSet()));
            @SuppressWarnings("unchecked")
            Map<String, Object> engineInfo = (Map<String, Object>) inventory.attributes().get("engine");
            assertEquals("1.41", engineInfo.get("api_version"));
            settle();
            assertEquals(List.of("docker.inventory:info"), summary(run.ctx.events()),
                    "what happened before the monitor's first start is inventory, not events");
        }
    }

    @Test
    void agentRestartTakesANewInventoryWithoutRepeatingDatabaseDiscovery() throws Exception {
        engine.run(name, c -> c.withLabels(Map.of("vigil.role", "database")), "sleep", "600");
        TestMonitorContext ctx = MonitorRun.context(Map.of());
        try (MonitorRun first = MonitorRun.start(ctx)) {
            Event discovered = first.await("docker.database.discovered", name);
            assertEquals(Severity.LOW, discovered.severity());
            assertEquals("inventory", discovered.attributes().get("discovered_by"));
        }
        try (MonitorRun second = MonitorRun.start(ctx)) {
            settle();
            assertEquals(List.of("docker.inventory:info", "docker.database.discovered:low", "docker.inventory:info"),
                    summary(ctx.events()));
        }
    }

    @Test
    void eventsWhileTheAgentWasDownAreReportedOnceAfterItsRestart() throws Exception {
        TestMonitorContext ctx = MonitorRun.context(Map.of());
        String a;
        try (MonitorRun first = MonitorRun.start(ctx)) {
            a = engine.run(name + "-a", "sleep", "600");
            first.await("docker.container.started", name + "-a");
        }
        engine.docker.stopContainerCmd(a).withTimeout(0).exec();
        engine.run(name + "-b", "sh", "-c", "exit 3");
        try (MonitorRun second = MonitorRun.start(ctx)) {
            second.await("docker.container.died", name + "-b");
            settle();
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.stopped:low"), summary(second.of(name + "-a")));
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.died:high"), summary(second.of(name + "-b")));
        }
    }

    @Test
    void stopRequestedBeforeAnAgentRestartStillMakesTheExitAfterItPlanned() throws Exception {
        TestMonitorContext ctx = MonitorRun.context(Map.of());
        String id;
        CompletableFuture<Void> stopping;
        try (MonitorRun first = MonitorRun.start(ctx)) {
            id = engine.run(name, "sh", "-c", "trap 'sleep 1; exit 0' TERM; while true; do sleep 0.1; done");
            first.await("docker.container.started", name);
            stopping = CompletableFuture.runAsync(() -> engine.docker.stopContainerCmd(id).withTimeout(10).exec());
            Thread.sleep(300); // the kill is handled, the exit a second away
        }
        stopping.get(20, TimeUnit.SECONDS);
        try (MonitorRun second = MonitorRun.start(ctx)) {
            Event stopped = second.await("docker.container.stopped", name);
            settle();
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.stopped:low"), summary(second.of(name)));
            assertEquals(0, stopped.attributes().get("exit_code"));
            assertEquals(List.of("SIGTERM"), stopped.attributes().get("signals"));
        }
    }

    @Test
    void cutStreamResumesFromTheCursorWithoutLossOrDuplicates() throws Exception {
        try (EngineProxy proxy = new EngineProxy(Path.of("/var/run/docker.sock"));
             MonitorRun run = MonitorRun.start(MonitorRun.context(Map.of("host", proxy.host())))) {
            String a = engine.run(name + "-a", "sleep", "600");
            run.await("docker.container.started", name + "-a");
            proxy.cut();
            engine.docker.stopContainerCmd(a).withTimeout(0).exec();
            engine.run(name + "-b", "sh", "-c", "exit 0");
            run.await("docker.container.died", name + "-b");
            settle();
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.stopped:low"), summary(run.of(name + "-a")));
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.died:low"), summary(run.of(name + "-b")));
            assertEquals(List.of(), run.ofType("docker.engine.unreachable"), "the engine answered all along");
        }
    }

    @Test
    void engineOutageIsOneUnreachableOneReachableEventAndNothingMissed() throws Exception {
        try (EngineProxy proxy = new EngineProxy(Path.of("/var/run/docker.sock"));
             MonitorRun run = MonitorRun.start(MonitorRun.context(Map.of("host", proxy.host())))) {
            proxy.down();
            Event down = run.await("docker.engine.unreachable", e -> e.type().equals("docker.engine.unreachable"),
                    Duration.ofSeconds(10));
            engine.run(name, "sh", "-c", "exit 5");
            Thread.sleep(1500); // several reconnect attempts fail meanwhile
            proxy.up();
            run.await("docker.engine.reachable", e -> e.type().equals("docker.engine.reachable"), Duration.ofSeconds(20));
            run.await("docker.container.died", name);
            settle();
            assertEquals(Severity.HIGH, down.severity());
            assertEquals(proxy.host(), down.attributes().get("host"));
            assertEquals(1, run.ofType("docker.engine.unreachable").size());
            assertEquals(1, run.ofType("docker.engine.reachable").size());
            assertEquals(List.of("start", "reconnected"), run.ofType("docker.inventory").stream()
                    .map(e -> e.attributes().get("reason")).toList());
            assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                    "docker.container.died:high"), summary(run.of(name)));
            assertEquals(down.fingerprint(), run.ofType("docker.engine.reachable").get(0).fingerprint(),
                    "reachable resolves unreachable");
        }
    }

    @Test
    void unreachableEngineIsReportedOnceEvenAcrossAgentRestarts() throws Exception {
        TestMonitorContext ctx = MonitorRun.context(Map.of("host", "unix:///tmp/vigil-no-engine-here.sock"));
        try (MonitorRun first = MonitorRun.startOnly(ctx)) {
            Event down = first.await("docker.engine.unreachable", e -> e.type().equals("docker.engine.unreachable"),
                    Duration.ofSeconds(10));
            assertEquals(Severity.HIGH, down.severity());
            assertTrue(down.title().startsWith("Docker engine unix:///tmp/vigil-no-engine-here.sock does not answer: "),
                    down.title());
        }
        try (MonitorRun second = MonitorRun.startOnly(ctx)) {
            Thread.sleep(1500);
        }
        assertEquals(List.of("docker.engine.unreachable:high"), summary(ctx.events()));
    }
}

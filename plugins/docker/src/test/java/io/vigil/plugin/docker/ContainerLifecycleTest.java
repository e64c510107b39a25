package io.vigil.plugin.docker;

import static io.vigil.plugin.docker.MonitorRun.settle;
import static io.vigil.plugin.docker.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Lifecycle events of containers on a real engine, one user action or failure at a time. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContainerLifecycleTest {

    private TestEngine engine;
    private MonitorRun run;
    private String name;

    @BeforeAll
    void connect() {
        engine = TestEngine.connect();
        engine.removeTestContainers();
    }

    @BeforeEach
    void startMonitor() throws Exception {
        name = "vt-" + UUID.randomUUID().toString().substring(0, 8);
        run = MonitorRun.start(MonitorRun.context(Map.of()));
    }

    @AfterEach
    void stopMonitor() throws Exception {
        run.close();
        engine.removeTestContainers();
    }

    @AfterAll
    void disconnect() throws Exception {
        engine.close();
    }

    @Test
    void createAndStartAreInfoEventsWithContainerAttributes() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info"), summary(run.of(name)));
        Event started = run.of(name).get(1);
        assertEquals(id, started.attributes().get("container_id"));
        assertEquals(TestEngine.IMAGE, started.attributes().get("image"));
        assertEquals(false, started.attributes().get("database"));
        assertEquals(name, started.subject());
        assertEquals("container " + name + " started", started.title());
    }

    @Test
    void dockerStopIsOneLowStoppedEventNotKillDieStop() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        // sleep as PID 1 ignores SIGTERM, so the engine escalates to SIGKILL after the 1 s grace
        engine.docker.stopContainerCmd(id).withTimeout(1).exec();
        Event stopped = run.await("docker.container.stopped", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.stopped:low"), summary(run.of(name)));
        assertEquals(137, stopped.attributes().get("exit_code"));
        assertEquals(true, stopped.attributes().get("planned"));
        assertEquals(List.of("SIGTERM", "SIGKILL"), stopped.attributes().get("signals"));
        assertEquals("container " + name + " was stopped (exit code 137)", stopped.title());
    }

    @Test
    void dockerKillIsOneLowKilledEventWithTheSignal() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        engine.docker.killContainerCmd(id).exec();
        Event killed = run.await("docker.container.killed", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.killed:low"), summary(run.of(name)));
        assertEquals("SIGKILL", killed.attributes().get("signal"));
        assertEquals(137, killed.attributes().get("exit_code"));
        assertEquals(true, killed.attributes().get("planned"));
    }

    @Test
    void nonZeroExitWithoutStopRequestIsUnplannedHighDied() throws Exception {
        engine.run(name, "sh", "-c", "sleep 0.2; exit 3");
        Event died = run.await("docker.container.died", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.died:high"), summary(run.of(name)));
        assertEquals(3, died.attributes().get("exit_code"));
        assertEquals(false, died.attributes().get("planned"));
        assertEquals("container " + name + " died unexpectedly (exit code 3)", died.title());
    }

    @Test
    void exitZeroOnItsOwnIsLowDied() throws Exception {
        engine.run(name, "true");
        Event died = run.await("docker.container.died", name);
        assertEquals(Severity.LOW, died.severity());
        assertEquals(0, died.attributes().get("exit_code"));
    }

    @Test
    void outOfMemoryKillIsOneHighOomEventNotAlsoDied() throws Exception {
        engine.run(name, c -> c.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                        .withMemory(8L * 1024 * 1024).withMemorySwap(8L * 1024 * 1024)),
                "sh", "-c", "x=a; while true; do x=$x$x; done");
        Event oom = run.await("docker.container.oom", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.oom:high"), summary(run.of(name)));
        assertEquals(137, oom.attributes().get("exit_code"));
        assertEquals(true, oom.attributes().get("container_stopped"));
        assertEquals(false, oom.attributes().get("planned"));
    }

    @Test
    void outOfMemoryKillOfAChildProcessIsMediumOomAndTheContainerLivesOn() throws Exception {
        engine.run(name, c -> c.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                        .withMemory(8L * 1024 * 1024).withMemorySwap(8L * 1024 * 1024)),
                "sh", "-c", "(x=a; while true; do x=$x$x; done); sleep 600");
        Event oom = run.await("docker.container.oom", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.oom:medium"), summary(run.of(name)));
        assertEquals(false, oom.attributes().get("container_stopped"));
        assertEquals(true, engine.docker.inspectContainerCmd(name).exec().getState().getRunning());
    }

    @Test
    void dockerRestartIsStoppedThenRestartedAndNothingAboveLow() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        engine.docker.restartContainerCmd(id).withTimeout(0).exec();
        Event restarted = run.await("docker.container.restarted", name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.stopped:low", "docker.container.restarted:low"), summary(run.of(name)));
        assertEquals("restart", restarted.attributes().get("cause"));
        assertEquals(true, restarted.attributes().get("planned"));
    }

    @Test
    void restartByPolicyIsOneRestartLoopAlertNotFive() throws Exception {
        engine.run(name, c -> c.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                .withRestartPolicy(RestartPolicy.onFailureRestart(5))), "sh", "-c", "exit 1");
        run.await("docker.container.restart_loop", name);
        // the engine backs off 100 ms, 200 ms… between restarts: 5 restarts take about 3 s
        awaitExited(name);
        settle();
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.died:high", "docker.container.restarted:low",
                "docker.container.died:high", "docker.container.restarted:low",
                "docker.container.died:high", "docker.container.restart_loop:critical"), summary(run.of(name)));
        Event loop = run.ofType("docker.container.restart_loop").get(0);
        assertEquals(3, loop.attributes().get("restarts"));
        assertEquals(300L, loop.attributes().get("window_seconds"));
        assertEquals(List.of(1, 1, 1), loop.attributes().get("exit_codes"));
        Event restarted = run.of(name).get(3);
        assertEquals("crash", restarted.attributes().get("cause"));
        assertEquals(1, restarted.attributes().get("previous_exit_code"));
    }

    @Test
    void pauseAndUnpauseAreInfoEvents() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        engine.docker.pauseContainerCmd(id).exec();
        engine.docker.unpauseContainerCmd(id).exec();
        run.await("docker.container.unpaused", name);
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.paused:info", "docker.container.unpaused:info"), summary(run.of(name)));
    }

    @Test
    void forcedRemovalOfRunningContainerIsKilledThenDestroyed() throws Exception {
        String id = engine.run(name, "sleep", "600");
        run.await("docker.container.started", name);
        engine.docker.removeContainerCmd(id).withForce(true).exec();
        run.await("docker.container.destroyed", name);
        // the destroy settles the pending kill at once, without waiting
        assertEquals(List.of("docker.container.created:info", "docker.container.started:info",
                "docker.container.killed:low", "docker.container.destroyed:info"), summary(run.of(name)));
    }

    @Test
    void unhealthyIsMediumAndHealthyAgainIsInfo() throws Exception {
        engine.run(name, c -> c.withHealthcheck(new HealthCheck().withTest(List.of("CMD-SHELL", "cat /tmp/ok"))
                        .withInterval(500_000_000L).withRetries(1)),
                "sh", "-c", "touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 600");
        run.await("unhealthy status of " + name, e -> e.type().equals("docker.container.health_status")
                && "unhealthy".equals(e.attributes().get("status")), java.time.Duration.ofSeconds(20));
        List<Event> health = run.of(name).stream().filter(e -> e.type().equals("docker.container.health_status")).toList();
        assertEquals(List.of("docker.container.health_status:info", "docker.container.health_status:medium"), summary(health));
        assertEquals("healthy", health.get(0).attributes().get("status"));
        assertEquals(health.get(0).fingerprint(), health.get(1).fingerprint(), "healthy resolves unhealthy");
    }

    @Test
    void aStopRequestOnlyPlansTheExitWithinTheCorrelationWindow() throws Exception {
        // SIGHUP asks for a reload, not a stop: the crash after it is unplanned
        String id = engine.run(name, "sh", "-c", "trap 'sleep 0.3; exit 4' HUP; while true; do sleep 0.1; done");
        run.await("docker.container.started", name);
        engine.docker.killContainerCmd(id).withSignal("HUP").exec();
        Event died = run.await("docker.container.died", name);
        assertEquals(Severity.HIGH, died.severity());
        assertEquals(4, died.attributes().get("exit_code"));
    }

    private void awaitExited(String container) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var state = engine.docker.inspectContainerCmd(container).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())
                    && engine.docker.inspectContainerCmd(container).exec().getRestartCount() >= 5) {
                return;
            }
            Thread.sleep(100);
        }
        assertTrue(false, container + " did not give up restarting within 30 s");
    }
}

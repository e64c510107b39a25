package io.vigil.plugin.docker;

import static io.vigil.plugin.docker.MonitorRun.settle;
import static io.vigil.plugin.docker.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.ExposedPort;
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

/** Database containers: recognised by image, port, environment or label, registered once, alerted louder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseContainerTest {

    /** The busybox test image under a database's name, as a registry would serve postgres:16. */
    private static final String POSTGRES_IMAGE = "vigil-test/postgres:16";

    private TestEngine engine;
    private MonitorRun run;
    private String name;

    @BeforeAll
    void connect() {
        engine = TestEngine.connect();
        engine.removeTestContainers();
        engine.docker.tagImageCmd(TestEngine.IMAGE, "vigil-test/postgres", "16").exec();
    }

    @BeforeEach
    void startMonitor() throws Exception {
        name = "vt-db-" + UUID.randomUUID().toString().substring(0, 8);
        run = MonitorRun.start(MonitorRun.context(Map.of()));
    }

    @AfterEach
    void stopMonitor() throws Exception {
        run.close();
        engine.removeTestContainers();
    }

    @AfterAll
    void disconnect() throws Exception {
        engine.docker.removeImageCmd(POSTGRES_IMAGE).exec();
        engine.close();
    }

    @Test
    void imageNamedLikePostgresIsADatabaseDiscoveredOnceWithAssetAttributes() throws Exception {
        String id = engine.create(name, c -> c.withImage(POSTGRES_IMAGE)
                .withEnv("POSTGRES_USER=app", "POSTGRES_DB=orders", "POSTGRES_PASSWORD=s3cret")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")), "sleep", "600");
        Event discovered = run.await("docker.database.discovered", name);
        Event created = run.await("docker.container.created", name);
        assertEquals(Severity.MEDIUM, discovered.severity());
        assertEquals("postgres", discovered.attributes().get("database_kind"));
        assertEquals(List.of("image:postgres", "env:POSTGRES_"), discovered.attributes().get("database_reasons"));
        assertEquals("create", discovered.attributes().get("discovered_by"));
        assertEquals("container:" + id, discovered.attributes().get("asset_id"));
        assertEquals(name + "_POSTGRES", discovered.attributes().get("asset_name"));
        assertEquals("docker://" + name, discovered.attributes().get("location"));
        assertEquals("16", discovered.attributes().get("version"));
        assertEquals("development", discovered.attributes().get("environment"));
        assertEquals(false, discovered.toString().contains("s3cret"), "no environment value that may be a secret");
        assertEquals(true, created.attributes().get("database"));
        assertEquals("database container " + name + " created from " + POSTGRES_IMAGE, created.title());
        engine.docker.startContainerCmd(id).exec();
        run.await("docker.container.started", name);
        assertEquals(1, run.ofType("docker.database.discovered").stream()
                .filter(e -> name.equals(e.attributes().get("container"))).count());
    }

    @Test
    void labelExposedPortAndEnvironmentEachMarkADatabase() throws Exception {
        engine.create(name + "-label", c -> c.withLabels(Map.of("vigil.role", "database")), "sleep", "1");
        engine.create(name + "-port", c -> c.withExposedPorts(ExposedPort.tcp(3306)), "sleep", "1");
        engine.create(name + "-env", c -> c.withEnv("MONGO_INITDB_DATABASE=shop"), "sleep", "1");
        engine.create(name + "-app", c -> c.withLabels(Map.of("vigil.role", "app")).withEnv("POSTGRES_PASSWORD=x"),
                "sleep", "1");
        engine.create(name + "-plain", c -> { }, "sleep", "1");
        Event label = run.await("docker.database.discovered", name + "-label");
        Event port = run.await("docker.database.discovered", name + "-port");
        Event env = run.await("docker.database.discovered", name + "-env");
        run.await("docker.container.created", name + "-plain");
        settle();
        assertEquals(List.of("label:vigil.role=database"), label.attributes().get("database_reasons"));
        assertEquals("unknown", label.attributes().get("database_kind"));
        assertEquals(List.of("port:3306/tcp"), port.attributes().get("database_reasons"));
        assertEquals("mysql", port.attributes().get("database_kind"));
        assertEquals(List.of("env:MONGO_INITDB_"), env.attributes().get("database_reasons"));
        assertEquals("mongo", env.attributes().get("database_kind"));
        assertEquals(true, run.await("docker.container.created", name + "-label").attributes().get("database"),
                "a label is in the event itself, so even the created event knows");
        assertEquals(List.of(name + "-label", name + "-port", name + "-env"), run.ofType("docker.database.discovered")
                .stream().map(e -> e.attributes().get("container")).sorted(java.util.Comparator.comparing(
                        c -> List.of(name + "-label", name + "-port", name + "-env").indexOf(c))).toList(),
                "vigil.role=app overrides the environment; a plain container is no database");
    }

    @Test
    void unplannedExitOfADatabaseIsCriticalNotHigh() throws Exception {
        engine.run(name, c -> c.withLabels(Map.of("service.type", "database")), "sh", "-c", "sleep 0.2; exit 1");
        Event died = run.await("docker.container.died", name);
        assertEquals(Severity.CRITICAL, died.severity());
        assertEquals("database container " + name + " died unexpectedly (exit code 1)", died.title());
    }

    @Test
    void plannedStopOfADatabaseStaysLow() throws Exception {
        String id = engine.run(name, c -> c.withImage(POSTGRES_IMAGE), "sleep", "600");
        run.await("docker.container.started", name);
        engine.docker.stopContainerCmd(id).withTimeout(0).exec();
        Event stopped = run.await("docker.container.stopped", name);
        assertEquals(Severity.LOW, stopped.severity());
        assertEquals(true, stopped.attributes().get("database"));
    }

    @Test
    void restartLoopOfADatabaseIsStillOneCriticalEvent() throws Exception {
        engine.run(name, c -> c.withImage(POSTGRES_IMAGE).withHostConfig(HostConfig.newHostConfig()
                .withNetworkMode("none").withRestartPolicy(RestartPolicy.onFailureRestart(4))), "sh", "-c", "exit 2");
        run.await("docker.container.restart_loop", name);
        Thread.sleep(3000);
        // the discovery comes once the background inspect is done, anywhere among these
        assertEquals(1, run.of(name).stream().filter(e -> e.type().equals("docker.database.discovered")).count());
        assertEquals(List.of("docker.container.created:info",
                "docker.container.started:info", "docker.container.died:critical", "docker.container.restarted:low",
                "docker.container.died:critical", "docker.container.restarted:low",
                "docker.container.died:critical", "docker.container.restart_loop:critical"),
                summary(run.of(name).stream().filter(e -> !e.type().equals("docker.database.discovered")).toList()));
    }

    private Event created(String container) throws InterruptedException {
        return run.await("docker.container.created", container);
    }

    private Object reasons(String container) throws InterruptedException {
        return created(container).attributes().get("database_reasons");
    }
}

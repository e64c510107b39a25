package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.api.MetricSample;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-container metrics from one-shot stats, when metrics_interval is set. */
class ContainerMetricsTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runningContainersAreSampledForCpuMemoryAndRestartCountRightAfterTheInventory() throws Exception {
        try (TestEngine engine = TestEngine.connect()) {
            engine.removeTestContainers();
            String name = "vt-metrics-" + UUID.randomUUID().toString().substring(0, 8);
            engine.run(name, "sh", "-c", "while true; do :; done");
            engine.create(name + "-idle", c -> { }, "sleep", "1");
            try (MonitorRun run = MonitorRun.start(MonitorRun.context(Map.of("metrics_interval", "60s")))) {
                MetricSample cpu = awaitSample(run, "docker.container.cpu_percent", name);
                MetricSample memory = awaitSample(run, "docker.container.memory_bytes", name);
                MetricSample restarts = awaitSample(run, "docker.container.restart_count", name);
                assertTrue(cpu.value() > 1.0, "a busy loop uses CPU: " + cpu.value());
                assertEquals("percent", cpu.unit());
                assertTrue(memory.value() > 0, "memory in use: " + memory.value());
                assertEquals("bytes", memory.unit());
                assertEquals(0.0, restarts.value());
                assertEquals(Map.of("container", name, "image", TestEngine.IMAGE), cpu.labels());
                List<MetricSample> states = run.ctx.samples().stream().filter(s -> s.name().equals("docker.containers")).toList();
                assertEquals(1.0, value(states, "running"));
                assertEquals(1.0, value(states, "created"));
                assertTrue(run.ctx.samples().stream().noneMatch(s -> (name + "-idle").equals(s.labels().get("container"))),
                        "only running containers have per-container samples");
            } finally {
                engine.removeTestContainers();
            }
        }
    }

    private static double value(List<MetricSample> samples, String state) {
        return samples.stream().filter(s -> state.equals(s.labels().get("state"))).findFirst().orElseThrow().value();
    }

    private static MetricSample awaitSample(MonitorRun run, String metric, String container) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (MetricSample s : run.ctx.samples()) {
                if (s.name().equals(metric) && container.equals(s.labels().get("container"))) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        fail("no " + metric + " for " + container + "; samples: " + run.ctx.samples());
        return null;
    }
}

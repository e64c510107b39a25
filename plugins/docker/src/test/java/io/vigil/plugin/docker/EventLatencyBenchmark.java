package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testkit.TestMonitorContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Latency from the engine's event time ({@code timeNano}) to the event leaving the monitor, over
 * 200 lifecycle operations (50 × create, start, stop, remove). Not part of the default run:
 * <pre>
 * ./mvnw -B -q -pl plugins/docker -am install -DskipTests
 * ./mvnw -B -pl plugins/docker test -Dsurefire.excludedGroups= -Dgroups=bench -Dtest=EventLatencyBenchmark
 * </pre>
 */
@Tag("bench")
class EventLatencyBenchmark {

    private static final int CONTAINERS = 50;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void engineEventToEmittedEventLatencyP99IsUnder200Ms() throws Exception {
        try (TestEngine engine = TestEngine.connect()) {
            engine.removeTestContainers();
            TestMonitorContext base = MonitorRun.context(Map.of());
            List<long[]> latencies = new CopyOnWriteArrayList<>();
            List<String> types = new CopyOnWriteArrayList<>();
            List<String> slowest = new CopyOnWriteArrayList<>();
            base.beforeEachEvent(event -> {
                Instant emittedAt = Instant.now();
                if (event.attributes().containsKey("engine_time_nano")) {
                    latencies.add(new long[] {Duration.between(event.time(), emittedAt).toNanos()});
                    types.add(event.type());
                    slowest.add(Duration.between(event.time(), emittedAt).toMillis() + " ms " + event.type() + " #" + types.size());
                }
            });
            DockerMonitor monitor = (DockerMonitor) new DockerMonitorFactory().create(base);
            Thread thread = new Thread(() -> {
                try {
                    monitor.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            while (!monitor.streaming()) {
                Thread.sleep(10);
            }
            String prefix = "vt-bench-" + UUID.randomUUID().toString().substring(0, 6) + "-";
            long started = System.nanoTime();
            for (int i = 0; i < CONTAINERS; i++) {
                String id = engine.create(prefix + i, c -> { }, "sleep", "600");
                engine.docker.startContainerCmd(id).exec();
                engine.docker.stopContainerCmd(id).withTimeout(0).exec();
                engine.docker.removeContainerCmd(id).exec();
            }
            long opsNanos = System.nanoTime() - started;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (latencies.size() < CONTAINERS * 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            monitor.close();
            thread.join(5000);
            engine.removeTestContainers();

            assertEquals(CONTAINERS * 4, latencies.size(), "one event per operation: " + count(types));
            List<Long> sorted = new ArrayList<>(latencies.stream().map(l -> l[0]).toList());
            Collections.sort(sorted);
            double p50 = sorted.get(sorted.size() / 2) / 1e6;
            double p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6;
            double max = sorted.get(sorted.size() - 1) / 1e6;
            System.out.printf("docker event latency over %d events (%s) in %.1f s of operations: "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.size(), count(types), opsNanos / 1e9,
                    p50, p99, max);
            System.out.println("slowest: " + slowest.stream().sorted(java.util.Comparator.comparingLong(
                    (String x) -> Long.parseLong(x.substring(0, x.indexOf(' ')))).reversed()).limit(6).toList());
            assertTrue(p99 < 200, "p99 " + p99 + " ms");
        }
    }

    private static Map<String, Integer> count(List<String> types) {
        Map<String, Integer> counts = new TreeMap<>();
        types.forEach(t -> counts.merge(t, 1, Integer::sum));
        return counts;
    }
}

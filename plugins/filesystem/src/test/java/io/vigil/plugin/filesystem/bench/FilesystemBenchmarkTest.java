package io.vigil.plugin.filesystem.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.MonitorContext;
import io.vigil.api.StreamingMonitor;
import io.vigil.plugin.filesystem.FilesystemMonitorFactory;
import io.vigil.testkit.TestMonitorContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks of the integrity monitor, kept out of the default test run:
 * <pre>./mvnw -pl plugins/filesystem test -Dgroups=bench -DexcludedGroups=none</pre>
 * Sizes can be changed with {@code -Dbench.writes=500 -Dbench.files=100000}. Results are
 * printed and written to {@code target/filesystem-bench.txt}.
 */
@Tag("bench")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class FilesystemBenchmarkTest {

    private static final int WRITES = Integer.getInteger("bench.writes", 500);
    private static final int FILES = Integer.getInteger("bench.files", 100_000);

    @TempDir
    Path dir;

    /**
     * Latency from a write to the emitted {@code file.modified}, with the default options: the
     * 250 ms debounce is part of it by design. Writes are sequential, each after the previous
     * event, so every write is its own batch.
     */
    @Test
    void latencyFromAWriteToItsEvent() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path f = dir.resolve("file-" + i + ".conf");
            Files.writeString(f, "initial " + i);
            files.add(f);
        }
        TestMonitorContext recorded = TestMonitorContext.forFactory(new FilesystemMonitorFactory(),
                Map.of("paths", List.of(dir.toString())));
        Map<String, Long> emittedAt = new ConcurrentHashMap<>();
        recorded.beforeEachEvent(event -> {
            Object path = event.attributes().get("path");
            if (event.type().equals("file.modified") && path != null) {
                emittedAt.put((String) path, System.nanoTime());
            }
        });
        List<Double> latenciesMs = new ArrayList<>();
        try (Running running = Running.start(recorded, recorded)) {
            for (int i = 0; i < WRITES; i++) {
                Path f = files.get(i % files.size());
                emittedAt.remove(f.toString());
                long t0 = System.nanoTime();
                Files.writeString(f, "write " + i);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                Long t1;
                while ((t1 = emittedAt.get(f.toString())) == null) {
                    assertTrue(System.nanoTime() < deadline, "no event for write " + i);
                    Thread.sleep(1);
                }
                latenciesMs.add((t1 - t0) / 1e6);
            }
        }
        Collections.sort(latenciesMs);
        report(String.format(Locale.ROOT,
                "latency write -> file.modified (debounce 250ms, %d sequential writes): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                WRITES, pct(latenciesMs, 50), pct(latenciesMs, 90), pct(latenciesMs, 99), latenciesMs.get(latenciesMs.size() - 1)));
    }

    /** The first baseline of a large tree: time, heap, and a restart that finds nothing changed. */
    @Test
    void initialBaselineOfALargeTree() throws Exception {
        int perDir = 1_000;
        for (int d = 0; d * perDir < FILES; d++) {
            Path sub = Files.createDirectories(dir.resolve("d" + d));
            for (int i = 0; i < perDir && d * perDir + i < FILES; i++) {
                Files.write(sub.resolve("f" + i + ".dat"), ("content of file " + d + "/" + i + " ")
                        .repeat(3).getBytes(StandardCharsets.UTF_8));
            }
        }
        long heapBefore = usedHeapAfterGc();
        TestMonitorContext ctx = TestMonitorContext.forFactory(new FilesystemMonitorFactory(),
                Map.of("paths", List.of(dir.toString())));
        long t0 = System.nanoTime();
        long firstMs;
        long heapWithBaseline;
        long storeBytes;
        try (Running running = Running.start(ctx, ctx)) {
            firstMs = (System.nanoTime() - t0) / 1_000_000;
            heapWithBaseline = usedHeapAfterGc();
            storeBytes = ctx.state().entries("").entrySet().stream()
                    .mapToLong(e -> e.getKey().length() + e.getValue().length()).sum();
        }
        long heapStoreOnly = usedHeapAfterGc(); // the monitor is gone, the test's state store remains
        long t1 = System.nanoTime();
        long restartMs;
        try (Running running = Running.start(ctx, ctx)) {
            restartMs = (System.nanoTime() - t1) / 1_000_000;
            assertTrue(ctx.events().stream().filter(e -> !e.type().equals("file.baseline")).findAny().isEmpty(),
                    "a restart without changes reports nothing");
        }
        long mb = 1024 * 1024;
        report(String.format(Locale.ROOT,
                "baseline of %d files in %d directories: first start %d ms (hash every file), restart %d ms "
                        + "(stat only, hashes reused); heap: %d MB held by the monitor's in-memory baseline, "
                        + "%d MB by the test's in-memory state store (%d MB of key+value text)",
                FILES, (FILES + perDir - 1) / perDir, firstMs, restartMs, (heapWithBaseline - heapStoreOnly) / mb,
                (heapStoreOnly - heapBefore) / mb, storeBytes / mb));
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void report(String line) throws IOException {
        System.out.println("[bench] " + line);
        Path out = Path.of("target/filesystem-bench.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + System.lineSeparator(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** The monitor on its own thread; {@link #start} returns when the start-up scan is done. */
    private record Running(StreamingMonitor monitor, Thread thread) implements AutoCloseable {
        static Running start(MonitorContext run, TestMonitorContext recorded) throws Exception {
            int before = samples(recorded);
            StreamingMonitor monitor = (StreamingMonitor) new FilesystemMonitorFactory().create(run);
            Thread thread = new Thread(() -> {
                try {
                    monitor.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "filesystem-bench");
            thread.start();
            while (samples(recorded) == before) {
                Thread.sleep(5);
            }
            return new Running(monitor, thread);
        }

        private static int samples(TestMonitorContext ctx) {
            return (int) ctx.samples().stream().filter(s -> s.name().equals("filesystem.files_watched")).count();
        }

        @Override
        public void close() throws Exception {
            monitor.close();
            thread.join(10_000);
        }
    }
}

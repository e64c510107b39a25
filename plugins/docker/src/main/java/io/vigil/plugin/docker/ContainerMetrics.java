package io.vigil.plugin.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import io.vigil.api.Emitter;
import io.vigil.api.MetricSample;
import java.io.Closeable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * Samples every followed running container: CPU %, memory in use and restart count, from a
 * one-shot stats call ({@code stream=false}, which the engine answers after about a second with
 * two readings to compute CPU from) and an inspect. At most {@code metrics_concurrency} containers
 * are sampled at once, so a host with hundreds of containers does not open hundreds of calls.
 */
final class ContainerMetrics {

    private static final long STATS_TIMEOUT_SECONDS = 20;

    private final ContainerFilter filter;
    private final BiFunction<DockerClient, String, ContainerFacts> facts;
    private final Emitter emitter;
    private final Clock clock;
    private final ExecutorService pool;
    private final Logger log;

    ContainerMetrics(ContainerFilter filter, BiFunction<DockerClient, String, ContainerFacts> facts, Emitter emitter,
                     Clock clock, ExecutorService pool, Logger log) {
        this.filter = filter;
        this.facts = facts;
        this.emitter = emitter;
        this.clock = clock;
        this.pool = pool;
        this.log = log;
    }

    /** One round; returns when every container is sampled or has timed out. */
    void collect(DockerClient docker) {
        Instant now = clock.instant();
        List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
        Map<String, Integer> byState = new TreeMap<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Container c : all) {
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : ContainerFacts.trimName(c.getNames()[0]);
            if (!filter.includes(name, c.getLabels() == null ? Map.of() : c.getLabels())) {
                continue;
            }
            byState.merge(c.getState() == null ? "unknown" : c.getState(), 1, Integer::sum);
            if ("running".equals(c.getState())) {
                running.add(CompletableFuture.runAsync(() -> sample(docker, c.getId(), now), pool));
            }
        }
        for (String state : List.of("running", "paused", "restarting", "exited", "created", "dead")) {
            byState.putIfAbsent(state, 0);
        }
        byState.forEach((state, n) -> emitter.emit(new MetricSample("docker.containers", n, "", Map.of("state", state), now)));
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).get(STATS_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("container metrics round incomplete: {}", e.toString());
        }
    }

    private void sample(DockerClient docker, String id, Instant now) {
        try {
            ContainerFacts f = facts.apply(docker, id);
            Map<String, String> labels = new TreeMap<>(Map.of("container", f.name(), "image", f.image()));
            if (f.database().database()) {
                labels.put("database_kind", f.database().kind());
            }
            Integer restarts = docker.inspectContainerCmd(id).exec().getRestartCount();
            Statistics stats = oneShot(docker, id);
            if (stats != null) {
                Double cpu = cpuPercent(stats);
                if (cpu != null) {
                    emitter.emit(new MetricSample("docker.container.cpu_percent", cpu, "percent", labels, now));
                }
                Long memory = memoryBytes(stats.getMemoryStats());
                if (memory != null) {
                    emitter.emit(new MetricSample("docker.container.memory_bytes", memory, "bytes", labels, now));
                }
                MemoryStatsConfig m = stats.getMemoryStats();
                if (m != null && m.getLimit() != null) {
                    emitter.emit(new MetricSample("docker.container.memory_limit_bytes", m.getLimit(), "bytes", labels, now));
                }
            }
            if (restarts != null) {
                emitter.emit(new MetricSample("docker.container.restart_count", restarts, "", labels, now));
            }
        } catch (RuntimeException e) {
            // stopped or removed between the list and the sample: nothing to measure
            log.debug("no sample of container {}: {}", id, e.toString());
        }
    }

    private static Statistics oneShot(DockerClient docker, String id) {
        Statistics[] result = new Statistics[1];
        CountDownLatch done = new CountDownLatch(1);
        ResultCallback<Statistics> callback = new ResultCallback<>() {
            @Override
            public void onStart(Closeable closeable) {
            }

            @Override
            public void onNext(Statistics s) {
                result[0] = s;
            }

            @Override
            public void onError(Throwable throwable) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }

            @Override
            public void close() {
                done.countDown();
            }
        };
        docker.statsCmd(id).withNoStream(true).exec(callback);
        try {
            done.await(STATS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result[0];
    }

    /** As {@code docker stats} computes it: share of the host's CPU time, 100 per CPU. */
    static Double cpuPercent(Statistics s) {
        CpuStatsConfig cpu = s.getCpuStats();
        CpuStatsConfig pre = s.getPreCpuStats();
        if (cpu == null || pre == null || cpu.getCpuUsage() == null || pre.getCpuUsage() == null
                || cpu.getSystemCpuUsage() == null || pre.getSystemCpuUsage() == null
                || cpu.getCpuUsage().getTotalUsage() == null || pre.getCpuUsage().getTotalUsage() == null) {
            return null;
        }
        double cpuDelta = cpu.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
        double systemDelta = cpu.getSystemCpuUsage() - pre.getSystemCpuUsage();
        long cpus = cpu.getOnlineCpus() != null ? cpu.getOnlineCpus()
                : cpu.getCpuUsage().getPercpuUsage() != null ? cpu.getCpuUsage().getPercpuUsage().size() : 1;
        if (systemDelta <= 0 || cpuDelta < 0) {
            return 0.0;
        }
        return cpuDelta / systemDelta * cpus * 100.0;
    }

    /** Memory in use as {@code docker stats} shows it: usage less the inactive page cache. */
    static Long memoryBytes(MemoryStatsConfig m) {
        if (m == null || m.getUsage() == null) {
            return null;
        }
        StatsConfig s = m.getStats();
        long cache = 0;
        if (s != null) {
            if (s.getTotalInactiveFile() != null) {
                cache = s.getTotalInactiveFile(); // cgroup v1
            } else if (s.getInactiveFile() != null) {
                cache = s.getInactiveFile(); // cgroup v2
            }
        }
        return Math.max(0, m.getUsage() - cache);
    }
}

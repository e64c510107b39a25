package io.vigil.agent.ship;

import io.vigil.agent.schedule.MonitorStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's own health as each heartbeat reports it (the server keeps it as a health sample of
 * the component {@code agent/<name>}): a status with the reason, process CPU and memory, errors
 * since start and the last ship latency.
 *
 * <p>The status compares the counters with those of the previous check (one heartbeat interval
 * ago), so a failure long past does not keep the agent degraded:
 * <ul>
 *   <li>{@code degraded} when a monitor failed or timed out since the previous check (the reason
 *       names each one), when a ship attempt failed since then and no batch got through, or when the
 *       spool holds items and nothing was acknowledged for two heartbeat intervals (backlogged);</li>
 *   <li>{@code healthy} otherwise.</li>
 * </ul>
 * The agent never reports itself {@code down}: the server judges that from its silence.
 * Called by the heartbeat thread only; {@link #check()} is synchronized all the same.
 */
public final class AgentHealth {

    /** A status, as the server's health samples name them. */
    public enum Status { HEALTHY, DEGRADED;

        /** The wire name: {@code healthy}, {@code degraded}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One check.
     *
     * @param status      healthy or degraded
     * @param reason      why degraded (each failing monitor, shipping); empty when healthy
     * @param cpu         process CPU load as a fraction of all CPUs (0 to 1), or -1 when unknown
     * @param memoryBytes resident set size (VmRSS) on Linux, else heap used
     * @param errorCount  monitor failures and timeouts plus failed ship attempts since the agent started
     * @param latencyMs   how long the last acknowledged batch took, or -1 before the first
     */
    public record Report(Status status, String reason, double cpu, long memoryBytes, long errorCount,
                         double latencyMs) {
    }

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final Supplier<Map<String, MonitorStats>> monitors;
    private final ShipStats ship;
    private final LongSupplier spoolDepth;
    private final Duration interval;
    private final LongSupplier clockMillis;
    private final long startedAtMillis;
    private Map<String, Long> previousMonitorErrors = Map.of();
    private long previousShipFailures;
    private long previousBatches;

    /**
     * @param monitors    the scheduler's monitor statistics by monitor name
     * @param ship        the shipper's counters
     * @param spoolDepth  items waiting in the spool
     * @param interval    the heartbeat interval (a check compares with the previous one, an interval ago)
     * @param clockMillis the wall clock, epoch ms
     */
    public AgentHealth(Supplier<Map<String, MonitorStats>> monitors, ShipStats ship, LongSupplier spoolDepth,
                       Duration interval, LongSupplier clockMillis) {
        this.monitors = monitors;
        this.ship = ship;
        this.spoolDepth = spoolDepth;
        this.interval = interval;
        this.clockMillis = clockMillis;
        this.startedAtMillis = clockMillis.getAsLong();
    }

    /** Checks now, against the counters of the previous check. */
    public synchronized Report check() {
        List<String> problems = new ArrayList<>();
        long errors = 0;
        Map<String, Long> monitorErrors = new HashMap<>();
        List<String> failing = new ArrayList<>();
        for (Map.Entry<String, MonitorStats> m : new TreeMap<>(monitors.get()).entrySet()) {
            long e = m.getValue().failures() + m.getValue().timeouts();
            monitorErrors.put(m.getKey(), e);
            errors += e;
            if (e > previousMonitorErrors.getOrDefault(m.getKey(), 0L)) {
                failing.add(m.getKey());
            }
        }
        if (!failing.isEmpty()) {
            problems.add("monitor" + (failing.size() == 1 ? " " : "s ") + String.join(", ", failing) + " failing");
        }
        long shipFailures = ship.failedAttempts();
        long batches = ship.batches();
        errors += shipFailures;
        if (shipFailures > previousShipFailures && batches == previousBatches) {
            problems.add("shipping failing: " + ship.lastError());
        } else {
            long depth = spoolDepth.getAsLong();
            long lastProgress = Math.max(ship.lastShippedAtMillis(), startedAtMillis);
            long idleMillis = clockMillis.getAsLong() - lastProgress;
            if (depth > 0 && idleMillis > 2 * interval.toMillis()) {
                problems.add("shipping backlogged: " + depth + " items spooled, none acknowledged for "
                        + idleMillis / 1000 + "s");
            }
        }
        previousMonitorErrors = monitorErrors;
        previousShipFailures = shipFailures;
        previousBatches = batches;
        return new Report(problems.isEmpty() ? Status.HEALTHY : Status.DEGRADED, String.join("; ", problems),
                processCpuLoad(), memoryBytes(), errors, ship.lastLatencyMillis());
    }

    /** The JVM's recent CPU load as a fraction of all CPUs, -1 when the platform does not say. */
    static double processCpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load >= 0 ? load : -1;
        }
        return -1;
    }

    /** VmRSS from /proc/self/status (what the kernel charges the process), else the heap in use. */
    static long memoryBytes() {
        if (Files.isReadable(PROC_STATUS)) {
            try {
                for (String line : Files.readAllLines(PROC_STATUS)) {
                    if (line.startsWith("VmRSS:")) {
                        // "VmRSS:    123456 kB"
                        return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall back to the heap below: the figure is informative, not worth a failed heartbeat
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

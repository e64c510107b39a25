package io.vigil.plugin.dbperf;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.api.MetricSample;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The monitor's own cost per engine: collection time per run (probe and every statistics query,
 * sizes included, in the one transaction) while a small write workload runs, the share of a 30 s
 * interval that is, and on PostgreSQL the share of the database's busy time ({@code active_time})
 * it takes. Tagged {@code bench}: not part of the default build. Run with
 * <pre>
 * ./mvnw -B -pl plugins/dbperf test -Dsurefire.excludedGroups= -Dgroups=bench -Dtest=DbPerfOverheadBenchmark
 * </pre>
 */
@Tag("bench")
class DbPerfOverheadBenchmark {

    private static final int TABLES = 20;
    private static final int ROWS = 1000;
    private static final int WARMUP = 5;
    private static final int RUNS = 40;
    private static final long PAUSE_MS = 250;
    private static final int WRITERS = 2;

    @Test
    void collectionTimePerRunAndOverheadShare() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-10s %5s %8s %8s %8s %13s %12s %16s", "engine", "runs", "p50 ms",
                "p95 ms", "max ms", "of 30 s (p95)", "busy s/s", "of busy at 30 s"));
        String pg = Databases.uniqueName("vigil_dbperf_bench");
        Databases.createPostgres(pg);
        try {
            try (Connection c = Databases.postgres(pg)) {
                populate(c, "integer");
            }
            lines.add(measure("postgresql", Map.of("url", Databases.postgresUrl(pg), "user", "postgres",
                    "include_databases", List.of(pg)), () -> Databases.postgres(pg)));
        } finally {
            Databases.dropPostgres(pg);
        }
        String maria = Databases.uniqueName("vigil_dbperf_bench");
        Databases.createMariadb(maria);
        try {
            try (Connection c = Databases.mariadb(maria)) {
                populate(c, "int");
            }
            lines.add(measure("mariadb", Map.of("url", Databases.mariadbUrl(maria), "user", "root", "password", "",
                    "include_databases", List.of(maria)), () -> Databases.mariadb(maria)));
        } finally {
            Databases.dropMariadb(maria);
        }
        Path dir = Files.createTempDirectory("dbperf-bench");
        Path file = dir.resolve("bench.db");
        try {
            try (Connection c = DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + file))) {
                Databases.exec(c, "PRAGMA journal_mode=WAL");
                populate(c, "integer");
            }
            lines.add(measure("sqlite", Map.of("url", "jdbc:sqlite:" + file), () -> DatabaseConnector.open(
                    ConnectionSettings.of("jdbc:sqlite:" + file))));
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            Files.deleteIfExists(dir);
        }
        System.out.println();
        System.out.println("dbperf collection overhead (" + TABLES + " tables x " + ROWS + " rows, " + WRITERS
                + " writers, sizes measured every run, " + RUNS + " runs after " + WARMUP + " warm-up)");
        lines.forEach(System.out::println);
    }

    interface Opener {
        Connection open() throws Exception;
    }

    private static void populate(Connection c, String intType) throws Exception {
        for (int t = 0; t < TABLES; t++) {
            Databases.exec(c, "CREATE TABLE t" + t + " (id " + intType + " PRIMARY KEY, v " + intType + " NOT NULL, "
                    + "note varchar(100))");
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t" + t + " VALUES (?, 0, 'row')")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(auto);
        }
    }

    private static String measure(String engine, Map<String, Object> options, Opener opener) throws Exception {
        Map<String, Object> all = new HashMap<>(options);
        all.put("size_interval", "0s");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < (engine.equals("sqlite") ? 1 : WRITERS); w++) {
            Thread t = new Thread(() -> {
                try (Connection c = opener.open();
                     PreparedStatement ps = c.prepareStatement("UPDATE t0 SET v = v + 1 WHERE id = ?")) {
                    while (!stop.get()) {
                        ps.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
                        ps.executeUpdate();
                        writes.incrementAndGet();
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-writer");
            t.start();
            writers.add(t);
        }
        double[] durations = new double[RUNS];
        double ours = 0;
        double busyRate = 0;
        int busyRuns = 0;
        try (MonitorRun run = new MonitorRun(all)) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                run.poll();
                if (i >= WARMUP) {
                    double d = run.value("dbperf.collection.duration", Map.of());
                    durations[i - WARMUP] = d;
                    List<MetricSample> busyRates = run.samples().stream()
                            .filter(s -> s.name().equals("dbperf.busy_time.rate")).toList();
                    if (!busyRates.isEmpty()) {
                        ours += d;
                        busyRate += busyRates.stream().mapToDouble(MetricSample::value).sum();
                        busyRuns++;
                    }
                }
                Thread.sleep(PAUSE_MS);
            }
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
        }
        Arrays.sort(durations);
        double p50 = durations[RUNS / 2] * 1000;
        double p95 = durations[(int) Math.ceil(RUNS * 0.95) - 1] * 1000;
        double max = durations[RUNS - 1] * 1000;
        // busy s/s: seconds of statement execution per second on the database (PostgreSQL's active_time),
        // i.e. the average number of active sessions; the share is one collection against 30 s of that
        double rate = busyRuns > 0 ? busyRate / busyRuns : 0;
        String busy = rate > 0 ? String.format(Locale.ROOT, "%.3f", rate) : "n/a";
        String share = rate > 0 ? String.format(Locale.ROOT, "%.2f%%", 100 * (ours / busyRuns) / (rate * 30)) : "n/a";
        return String.format(Locale.ROOT, "%-10s %5d %8.1f %8.1f %8.1f %12.3f%% %12s %16s   (%d writes)", engine,
                RUNS, p50, p95, max, p95 / 300.0, busy, share, writes.get());
    }
}

package io.vigil.agent.cli;

import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.agent.loader.MonitorPlan;
import io.vigil.agent.schedule.MonitorScheduler;
import io.vigil.agent.schedule.MonitorStats;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.spool.SpoolBatch;
import io.vigil.agent.state.SqliteStateStore;
import io.vigil.api.EventIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs one monitor once and prints what it emits, without shipping and without touching the
 * agent's state: the monitor works on a copy of the state database, so a baseline it would
 * record is not recorded. The plugin author's tool, and the operator's "what would this do".
 */
final class DryRun {

    private DryRun() {
    }

    /** @return the number of problems (failed or timed-out runs) */
    static int run(AgentConfig config, MonitorPlan.Planned plan, Duration streamFor, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("vigil-check-");
        try {
            for (String f : new String[] {"state.db", "state.db-wal"}) {
                Path source = config.stateDir().resolve(f);
                if (Files.exists(source)) {
                    Files.copy(source, scratch.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (Spool spool = Spool.open(scratch.resolve("spool.db"), Long.MAX_VALUE);
                 SqliteStateStore state = SqliteStateStore.open(scratch.resolve("state.db"))) {
                MonitorStats stats;
                try (MonitorScheduler scheduler = new MonitorScheduler(spool, state, EnvironmentSecrets.ofProcess(),
                        Clock.systemUTC(), config.host(), config.agentName(), EventIds.next().toString())) {
                    stats = scheduler.runOnce(plan, streamFor);
                }
                SpoolBatch emitted = spool.next(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
                emitted.events().forEach(e -> out.println(new String(e, StandardCharsets.UTF_8)));
                emitted.metrics().forEach(m -> out.println(new String(m, StandardCharsets.UTF_8)));
                if (stats == null) {
                    err.println("monitor " + plan.config().name() + " could not be created; see the log above");
                    return 1;
                }
                err.printf("monitor %s: %d events, %d metric samples, %d failures, %d timeouts%s%n",
                        plan.config().name(), stats.emittedEvents(), stats.emittedMetrics(), stats.failures(),
                        stats.timeouts(), stats.lastError().isEmpty() ? "" : " (last error: " + stats.lastError() + ")");
                return (int) (stats.failures() + stats.timeouts());
            } catch (java.sql.SQLException e) {
                throw new IOException(e);
            }
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

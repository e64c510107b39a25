package io.vigil.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.ship.Shipper;
import io.vigil.agent.ship.WireJson;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.server.testing.TestPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Drain after an outage: the spool holds N events (the server was away), then the shipper sends
 * them to a real server writing to a real PostgreSQL (a fresh database on 127.0.0.1:5432).
 * Reports events/s from the first request to the last acknowledgement, and checks every event is
 * stored once.
 *
 * <p>Usage: {@code DrainBench [events=100000] [batch=5000]}
 */
public final class DrainBench {

    private static final String TOKEN = "bench-agent-token-0123456789abcdef0123456789abcdef";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        Path dir = Files.createTempDirectory("vigil-bench-drain-");
        try (TestPostgres pg = TestPostgres.create()) {
            Map<String, Object> props = new HashMap<>(pg.micronautProperties());
            props.put("micronaut.server.port", -1);
            props.put("vigil.agents.bootstrap-token", TOKEN);
            props.put("vigil.agents.bootstrap-name", "bench");
            props.put("vigil.vault.key", IngestBench.VAULT_KEY);
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
                 Spool spool = Spool.open(dir.resolve("spool.db"), Long.MAX_VALUE)) {
                for (int i = 0; i < n; i++) {
                    spool.append(ItemKind.EVENT, WireJson.encode(Event.builder("bench.drain").severity(Severity.MEDIUM)
                            .subject("container-" + (i % 50)).title("drain benchmark event " + i)
                            .attribute("i", i).attribute("exit_code", i % 3)
                            .build().stamped("bench-host", "bench", "drain", "bench", "trace-" + i / 100, "session")));
                }
                AgentConfig.SpoolSettings settings = new AgentConfig.SpoolSettings(Long.MAX_VALUE, batch, 8L << 20,
                        Duration.ofMillis(1), true, Duration.ofMillis(100), Duration.ofSeconds(2));
                Shipper shipper = new Shipper(spool, URI.create("http://127.0.0.1:" + server.getPort()), TOKEN,
                        Duration.ofSeconds(30), settings, "vigil-bench");
                Thread thread = new Thread(shipper, "shipper");
                long start = System.nanoTime();
                thread.start();
                while (spool.depth() > 0) {
                    Thread.sleep(5);
                }
                long took = System.nanoTime() - start;
                shipper.stop();
                thread.interrupt();
                thread.join();
                long stored;
                try (Connection c = pg.connect();
                     ResultSet rs = c.createStatement().executeQuery("SELECT count(DISTINCT id) FROM events")) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                System.out.printf("drain: %d events in %.2f s = %.0f events/s (batches of %d, gzip, one server, PostgreSQL on loopback); stored %d distinct%n",
                        n, took / 1e9, n / (took / 1e9), batch, stored);
                if (stored != n) {
                    throw new IllegalStateException("expected " + n + " stored events, found " + stored);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

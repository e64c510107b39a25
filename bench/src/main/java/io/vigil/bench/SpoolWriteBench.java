package io.vigil.bench;

import io.vigil.agent.ship.WireJson;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Spool write throughput: events encoded and committed one by one, as monitors emit them
 * (one SQLite transaction each, WAL, synchronous=NORMAL), then read back in batches and
 * acknowledged, as the shipper does.
 *
 * <p>Usage: {@code SpoolWriteBench [events=100000]}
 */
public final class SpoolWriteBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("vigil-bench-spool-");
        try (Spool spool = Spool.open(dir.resolve("spool.db"), Long.MAX_VALUE)) {
            for (int i = 0; i < 5_000; i++) { // warm-up: JIT and SQLite page cache
                spool.append(ItemKind.EVENT, encode(i));
            }
            spool.acknowledge(spool.next(10_000, Long.MAX_VALUE, Duration.ZERO));

            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                spool.append(ItemKind.EVENT, encode(i));
            }
            long wrote = System.nanoTime() - start;

            start = System.nanoTime();
            long read = 0;
            while (spool.depth() > 0) {
                var batch = spool.next(1000, 4 << 20, Duration.ZERO);
                read += batch.size();
                spool.acknowledge(batch);
            }
            long drained = System.nanoTime() - start;
            System.out.printf("spool write: %d events in %.2f s = %.0f events/s (one commit per event, WAL, synchronous=NORMAL)%n",
                    n, wrote / 1e9, n / (wrote / 1e9));
            System.out.printf("spool read+ack: %d events in %.2f s = %.0f events/s (batches of 1000)%n",
                    read, drained / 1e9, read / (drained / 1e9));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static byte[] encode(int i) {
        return WireJson.encode(Event.builder("bench.spool.write").severity(Severity.LOW).subject("subject-" + (i % 100))
                .title("benchmark event " + i).attribute("i", i).attribute("path", "/var/lib/app/file" + i)
                .build().stamped("bench-host", "bench-agent", "bench", "bench", "trace", "session"));
    }
}

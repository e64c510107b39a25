package io.vigil.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.testing.TestPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server ingest throughput, in one run against one fresh PostgreSQL database (127.0.0.1:5432):
 *
 * <ol>
 *   <li><b>sustained</b>: {@code senders} threads POST pre-built gzip'd batches of {@code batch}
 *       events as fast as the server answers, through the whole path (HTTP, gzip, JSON parse and
 *       validation, bearer-token lookup, one transaction per batch into the partitioned
 *       {@code events} table with all its indexes); events/s and request latency;</li>
 *   <li><b>raw COPY ceiling</b>: the same rows, emptied table, loaded with {@code COPY ... FROM STDIN}
 *       (PGConnection.getCopyAPI) by as many connections, {@code batch} rows per COPY, into the very
 *       same table; events/s and the ratio;</li>
 *   <li><b>paced</b>: one batch every {@code batch}/5000 s (5,000 events/s) for 30 s; latency
 *       percentiles;</li>
 *   <li><b>metric samples</b>: {@code senders} threads POST batches of 5,000 samples over 2,000 series.</li>
 * </ol>
 * The client threads run in the same JVM as the server, on the same cores: the figures include
 * the cost of sending.
 *
 * <p>Usage: {@code IngestBench [events=300000] [senders=4] [batch=500] [samples=1000000]}
 */
public final class IngestBench {

    static final String TOKEN = "bench-agent-token-0123456789abcdef0123456789abcdef";
    /** The vault key of the benchmark servers, made here (the server never makes one): {@code <kid>:<base64>}. */
    static final String VAULT_KEY = "bench:" + io.vigil.server.crypto.SecretBox.newKeyBase64();
    static final int WARM_UP = 40_000;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        try (TestPostgres pg = TestPostgres.create()) {
            Map<String, Object> props = new HashMap<>(pg.micronautProperties());
            props.put("micronaut.server.port", -1);
            props.put("vigil.agents.bootstrap-token", TOKEN);
            props.put("vigil.agents.bootstrap-name", "bench");
            props.put("vigil.vault.key", VAULT_KEY);
            props.put("logger.levels.io.vigil.server.ingest", "WARN"); // no log line per batch
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                URI ingest = URI.create("http://127.0.0.1:" + server.getPort()
                        + "/api/v1/ingest");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long total = WARM_UP + (long) n + 200_000;
                Instant start = Instant.now().minus(Duration.ofHours(2));
                BenchEvents events = new BenchEvents(start, Duration.ofHours(2).toNanos() / 1000 / total);
                long agentId = agentId(pg);

                System.out.printf("machine: %d cores, %s, Java %s; PostgreSQL %s; %d senders, batches of %d%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                        System.getProperty("java.version"), pgVersion(pg), senders, batch);

                // warm-up (JIT, connection pool, page cache), then an empty table for the timed runs
                run(http, ingest, bodies(events, 0, WARM_UP, batch), senders);
                reset(pg);

                List<byte[]> bodies = bodies(events, WARM_UP, n, batch);
                Result http1 = run(http, ingest, bodies, senders);
                long stored = count(pg, "SELECT count(*) FROM events");
                System.out.printf("sustained HTTP ingest: %d events in %.2f s = %.0f events/s; request latency "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d answers 429/503 (retried); stored %d%n",
                        n, http1.seconds(), n / http1.seconds(), http1.percentile(50), http1.percentile(99),
                        http1.percentile(100), http1.refused(), stored);

                reset(pg);
                double copySeconds = copy(pg, events, WARM_UP, n, batch, senders, agentId);
                System.out.printf("raw COPY ceiling: %d events in %.2f s = %.0f events/s (%d connections, COPY of %d rows "
                        + "each, same table and indexes)%n", n, copySeconds, n / copySeconds, senders, batch);
                System.out.printf("ratio HTTP ingest / COPY: %.0f %%%n", 100 * copySeconds / http1.seconds());

                Result paced = paced(http, ingest, events, WARM_UP + n, batch, 5000, Duration.ofSeconds(30));
                System.out.printf("paced at 5,000 events/s for 30 s: %d requests, latency p50 %.1f ms, p95 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms%n", paced.latencies().size(), paced.percentile(50),
                        paced.percentile(95), paced.percentile(99), paced.percentile(100));

                List<byte[]> sampleBodies = sampleBodies(start, samples, 5000, 2000);
                run(http, ingest, sampleBodies.subList(0, 20), senders); // warm-up: creates the series
                Result metrics = run(http, ingest, sampleBodies.subList(20, sampleBodies.size()), senders);
                int timed = (sampleBodies.size() - 20) * 5000;
                System.out.printf("metric samples: %d samples in %.2f s = %.0f samples/s (batches of 5000, 2000 series); "
                                + "request latency p50 %.1f ms, p99 %.1f ms; stored %d%n", timed, metrics.seconds(),
                        timed / metrics.seconds(), metrics.percentile(50), metrics.percentile(99),
                        count(pg, "SELECT count(*) FROM metric_samples"));
            }
        }
    }

    /** Sends every body once with {@code senders} threads, as fast as answered; 429/503 are retried. */
    static Result run(HttpClient http, URI uri, List<byte[]> bodies, int senders) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long begin = System.nanoTime();
        for (int t = 0; t < senders; t++) {
            Thread thread = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    while (true) {
                        long t0 = System.nanoTime();
                        int status = post(http, uri, bodies.get(i));
                        latencies.add(System.nanoTime() - t0);
                        if (status == 200) {
                            break;
                        }
                        if (status != 429 && status != 503) {
                            throw new IllegalStateException("ingest answered " + status);
                        }
                        refused.incrementAndGet();
                        sleep(50);
                    }
                }
            }, "sender-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result((System.nanoTime() - begin) / 1e9, new ArrayList<>(latencies), refused.get());
    }

    /** One batch every batch/rate seconds for {@code length}, each on its own thread; latency of each. */
    static Result paced(HttpClient http, URI uri, BenchEvents events, long from, int batch, int rate, Duration length)
            throws InterruptedException {
        int requests = (int) (length.toMillis() * rate / 1000 / batch);
        List<byte[]> bodies = bodies(events, from, requests * batch, batch);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(requests);
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        long periodMicros = 1_000_000L * batch / rate;
        long begin = System.nanoTime();
        clock.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= requests) {
                return;
            }
            long t0 = System.nanoTime();
            int status = post(http, uri, bodies.get(i));
            latencies.add(System.nanoTime() - t0);
            if (status != 200) {
                System.out.println("paced request answered " + status);
            }
            done.countDown();
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        done.await();
        clock.shutdownNow();
        return new Result((System.nanoTime() - begin) / 1e9, new ArrayList<>(latencies), 0);
    }

    static int post(HttpClient http, URI uri, byte[] gzipped) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", "gzip")
                    .header("User-Agent", "vigil-agent/bench")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<byte[]> bodies(BenchEvents events, long from, int n, int batch) {
        List<byte[]> out = new ArrayList<>();
        for (long i = from; i < from + n; i += batch) {
            out.add(events.batch(i, (int) Math.min(batch, from + n - i)));
        }
        return out;
    }

    /** Samples i = series (i % seriesCount) at second (i / seriesCount) after start. */
    static List<byte[]> sampleBodies(Instant start, int n, int batch, int seriesCount) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            StringBuilder b = new StringBuilder(batch * 130).append("{\"metrics\":[");
            for (int i = from; i < Math.min(n, from + batch); i++) {
                if (i > from) {
                    b.append(',');
                }
                int series = i % seriesCount;
                b.append("{\"name\":\"bench.metric_").append(series % 20).append("\",\"value\":").append(i % 1000 / 10.0)
                        .append(",\"unit\":\"ms\",\"labels\":{\"host\":\"host-").append(series % 50)
                        .append("\",\"series\":\"s").append(series).append("\"},\"time\":\"")
                        .append(start.plusSeconds(i / seriesCount)).append("\"}");
            }
            out.add(BenchEvents.gzip(b.append("]}").toString()));
        }
        return out;
    }

    /** Loads events [from, from + n) with COPY on {@code connections} connections, {@code batch} rows per COPY. */
    static double copy(TestPostgres pg, BenchEvents events, long from, int n, int batch, int connections, long agentId)
            throws Exception {
        List<String> chunks = new ArrayList<>();
        for (long i = from; i < from + n; i += batch) {
            StringBuilder csv = new StringBuilder(batch * 300);
            for (long j = i; j < Math.min(from + n, i + batch); j++) {
                csv.append(events.csv(j, agentId));
            }
            chunks.add(csv.toString());
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long begin = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                try (Connection c = pg.connect()) {
                    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                    int i;
                    while ((i = next.getAndIncrement()) < chunks.size()) {
                        copy.copyIn(BenchEvents.COPY, new StringReader(chunks.get(i)));
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0));
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        long stored = count(pg, "SELECT count(*) FROM events");
        if (stored != n) {
            throw new IllegalStateException("COPY stored " + stored + " events, expected " + n);
        }
        return seconds;
    }

    static void reset(TestPostgres pg) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE events");
            st.execute("VACUUM ANALYZE events");
            st.execute("CHECKPOINT");
        }
    }

    static long agentId(TestPostgres pg) throws Exception {
        return count(pg, "SELECT id FROM agents WHERE name = 'bench'");
    }

    static long count(TestPostgres pg, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String pgVersion(TestPostgres pg) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Timing of a run: its length and every request's latency in nanoseconds. */
    record Result(double seconds, List<Long> latencies, long refused) {
        double percentile(double p) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            int at = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100 * sorted.size()) - 1));
            return sorted.get(at) / 1e6;
        }
    }
}

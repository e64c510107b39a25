package io.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.crypto.SecretBox;
import io.vigil.server.testing.TestPostgres;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end alert latency: from an agent's HTTP POST of a critical event to {@code /api/v1/ingest}
 * to a webhook receiver on loopback holding the signed notification. The whole path is real: the
 * server (Micronaut, one instance) stores the batch in PostgreSQL (a fresh database on
 * 127.0.0.1:5432), the event rule fires an alert, routing (group_wait 0) writes the outbox row in
 * the alert's transaction, the dispatcher is woken after the commit and POSTs the webhook.
 *
 * <p>Each event is its own batch, sent at a fixed rate by a scheduler (not back to back, so a slow
 * request does not hide the latency of the next one). Each event has its own subject, hence its own
 * alert and notification; the receiver matches notifications to events by subject. 200 events are
 * sent first as a warm-up and not counted.
 *
 * <p>Usage: {@code AlertLatencyBench [events=1000] [rate=100]} (rate in events per second).
 */
public final class AlertLatencyBench {

    private static final String TOKEN = "bench-agent-token-alert-latency-0123456789abcdef";
    private static final String WEBHOOK_SECRET = "bench-webhook-secret";
    private static final Pattern SUBJECT = Pattern.compile("\"subject\":\"(bench-\\d+)\"");
    private static final int WARMUP = 200;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;

        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = SUBJECT.matcher(body);
            if (m.find() && arrived.putIfAbsent(m.group(1), now) != null) {
                duplicates.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(receiverThreads);
        receiver.start();

        Path dir = Files.createTempDirectory("vigil-bench-alert-");
        String key = SecretBox.newKeyBase64();
        Files.writeString(dir.resolve("rules.yml"), """
                rules:
                  - id: bench-critical
                    event:
                      type: bench.critical
                    title: "{{subject}} is on fire"
                """);
        Files.writeString(dir.resolve("routing.yml"), """
                channels:
                  - name: hook
                    type: webhook
                    url: http://127.0.0.1:%d/hook
                    secret: %s
                route:
                  channels: [hook]
                  group_wait: 0s
                """.formatted(receiver.getAddress().getPort(),
                new SecretBox(Base64.getDecoder().decode(key)).encrypt(WEBHOOK_SECRET)));

        try (TestPostgres pg = TestPostgres.create()) {
            Map<String, Object> props = new HashMap<>(pg.micronautProperties());
            props.put("micronaut.server.port", -1);
            props.put("vigil.agents.bootstrap-token", TOKEN);
            props.put("vigil.agents.bootstrap-name", "bench");
            props.put("vigil.vault.key", IngestBench.VAULT_KEY);
            props.put("vigil.alerting.default-rules", false);
            props.put("vigil.alerting.rules-file", dir.resolve("rules.yml").toString());
            props.put("vigil.alerting.routing-file", dir.resolve("routing.yml").toString());
            props.put("vigil.notify.secret-key", key);
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                URI ingest = URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/ingest");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

                run(http, ingest, 0, WARMUP, rate, new AtomicLongArray(WARMUP), new AtomicLongArray(WARMUP));
                waitFor(arrived, WARMUP, 0);

                AtomicLongArray sent = new AtomicLongArray(n);
                AtomicLongArray answered = new AtomicLongArray(n);
                long started = System.nanoTime();
                run(http, ingest, WARMUP, n, rate, sent, answered);
                long took = System.nanoTime() - started;
                waitFor(arrived, n, WARMUP);

                double[] endToEnd = new double[n];
                double[] ingestOnly = new double[n];
                for (int i = 0; i < n; i++) {
                    Long at = arrived.get("bench-" + (WARMUP + i));
                    endToEnd[i] = (at - sent.get(i)) / 1e6;
                    ingestOnly[i] = (answered.get(i) - sent.get(i)) / 1e6;
                }
                System.out.printf("alert latency: %d critical events at %d/s (%.1f s), one event per POST, one server, "
                        + "PostgreSQL on loopback, group_wait 0%n", n, rate, took / 1e9);
                print("POST /api/v1/ingest sent -> webhook received", endToEnd);
                print("POST /api/v1/ingest sent -> 200 received   ", ingestOnly);
                io.micrometer.core.instrument.MeterRegistry meters = server.getApplicationContext()
                        .getBean(io.micrometer.core.instrument.MeterRegistry.class);
                io.micrometer.core.instrument.Timer eval = meters.find("vigil.alerting.evaluation.duration").timer();
                if (eval != null) {
                    System.out.printf("event rule evaluation + alert transaction (in the ingest request): mean %.2f ms, "
                            + "max %.2f ms over %d batches%n", eval.mean(TimeUnit.MILLISECONDS), eval.max(TimeUnit.MILLISECONDS),
                            eval.count());
                }
                System.out.printf("notifications: %d received, %d duplicates%n", arrived.size() - WARMUP, duplicates.get());
                try (java.sql.Connection c = pg.connect(); java.sql.ResultSet rs = c.createStatement().executeQuery("""
                        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
                               percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms),
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - n.created_at) * 1000),
                               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - n.created_at) * 1000)
                          FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id
                         WHERE n.id > %d""".formatted(WARMUP))) {
                    rs.next();
                    System.out.printf("delivery log: outbox row written -> send started p50 %.2f ms, p99 %.2f ms; "
                            + "webhook POST p50 %.2f ms, p99 %.2f ms%n", rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(1), rs.getDouble(2));
                }
                if (duplicates.get() > 0) {
                    throw new IllegalStateException(duplicates.get() + " notifications arrived twice");
                }
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    /** Sends events {@code first .. first+count-1}, one per request, {@code rate} per second. */
    private static void run(HttpClient http, URI ingest, int first, int count, int rate, AtomicLongArray sent,
                            AtomicLongArray answered) throws InterruptedException {
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(8);
        CountDownLatch done = new CountDownLatch(count);
        long spacingNanos = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            int k = i;
            senders.schedule(() -> {
                String body = """
                        {"events": [{"id": "%s", "time": "%s", "host": "bench-host", "plugin": "bench",
                                     "type": "bench.critical", "severity": "critical", "subject": "bench-%d",
                                     "title": "bench event", "attributes": {"i": %d}}]}"""
                        .formatted(UUID.randomUUID(), Instant.now(), first + k, first + k);
                HttpRequest request = HttpRequest.newBuilder(ingest).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                try {
                    sent.set(k, System.nanoTime());
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    answered.set(k, System.nanoTime());
                    if (r.statusCode() != 200) {
                        System.err.println("ingest answered " + r.statusCode() + ": " + r.body());
                    }
                } catch (Exception e) {
                    System.err.println("ingest failed: " + e);
                } finally {
                    done.countDown();
                }
            }, k * spacingNanos, TimeUnit.NANOSECONDS);
        }
        done.await();
        senders.shutdown();
    }

    private static void waitFor(Map<String, Long> arrived, int count, int first) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = first; i < first + count; i++) {
            while (!arrived.containsKey("bench-" + i)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("notification for bench-" + i + " never arrived");
                }
                Thread.sleep(1);
            }
        }
    }

    private static void print(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                s[(int) Math.floor(0.50 * (s.length - 1))], s[(int) Math.floor(0.90 * (s.length - 1))],
                s[(int) Math.floor(0.99 * (s.length - 1))], s[s.length - 1]);
    }
}

package io.vigil.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.testing.TestPostgres;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event query latency on a large store: {@code events} (default 1,000,000) loaded with COPY over
 * the last 7 days into their day partitions, analysed, then each query shape below asked
 * {@code queries} times through the HTTP API (admin token, JSON answer read whole), each time with
 * a different window end drawn at random over the 7 days. Prints p50/p95/p99 per shape.
 *
 * <p>Usage: {@code QueryBench [events=1000000] [queries=300]}
 */
public final class QueryBench {

    static final String ADMIN = "bench-admin-token-0123456789abcdef0123456789abcdef";
    static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        try (TestPostgres pg = TestPostgres.create()) {
            Map<String, Object> props = new HashMap<>(pg.micronautProperties());
            props.put("micronaut.server.port", -1);
            props.put("vigil.auth.admin-token", ADMIN);
            props.put("vigil.agents.bootstrap-token", IngestBench.TOKEN);
            props.put("vigil.agents.bootstrap-name", "bench");
            props.put("vigil.vault.key", IngestBench.VAULT_KEY);
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                String base = "http://127.0.0.1:" + server.getPort();
                Instant end = Instant.now().minusSeconds(60);
                Instant start = end.minus(Duration.ofDays(7));
                try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                    st.execute("SELECT vigil_create_day_partition('events', d::date) FROM generate_series("
                            + "(now() AT TIME ZONE 'UTC')::date - 8, (now() AT TIME ZONE 'UTC')::date, interval '1 day') d");
                }
                BenchEvents events = new BenchEvents(start, Duration.ofDays(7).toNanos() / 1000 / n);
                long load = System.nanoTime();
                IngestBench.copy(pg, events, 0, n, 10_000, 2, IngestBench.agentId(pg));
                double loadSeconds = (System.nanoTime() - load) / 1e9;
                try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE events");
                }
                System.out.printf("loaded %d events over 7 days with COPY in %.1f s (%.0f events/s); table with indexes %s%n",
                        n, loadSeconds, n / loadSeconds, size(pg));

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Random random = new Random(42);
                Map<String, Function<Instant, String>> shapes = new LinkedHashMap<>();
                shapes.put("severity_min=high, 24 h window, page of 100",
                        t -> "severity_min=high&since=" + enc(t.minus(Duration.ofHours(24))) + "&until=" + enc(t) + "&limit=100");
                shapes.put("severity=critical, 24 h window, page of 100",
                        t -> "severity=critical&since=" + enc(t.minus(Duration.ofHours(24))) + "&until=" + enc(t) + "&limit=100");
                shapes.put("severity_min=medium, 1 h window, page of 100",
                        t -> "severity_min=medium&since=" + enc(t.minus(Duration.ofHours(1))) + "&until=" + enc(t) + "&limit=100");
                shapes.put("no filter, until t, page of 100", t -> "until=" + enc(t) + "&limit=100");
                shapes.put("attr.asset=A7, 24 h window, page of 100",
                        t -> "attr.asset=A7&since=" + enc(t.minus(Duration.ofHours(24))) + "&until=" + enc(t) + "&limit=100");
                shapes.put("type=oracle.event_3 + severity_min=high, 7 days, page of 100",
                        t -> "type=oracle.event_3&severity_min=high&limit=100");
                shapes.put("q (title contains 'subject-42 exited'), 24 h window, page of 100",
                        t -> "q=" + URLEncoder.encode("subject-42 exited", StandardCharsets.UTF_8) + "&since=" + enc(t.minus(Duration.ofHours(24))) + "&until=" + enc(t)
                                + "&limit=100");
                for (Map.Entry<String, Function<Instant, String>> shape : shapes.entrySet()) {
                    List<Long> times = new ArrayList<>();
                    for (int i = 0; i < queries + 20; i++) {
                        Instant t = start.plus(Duration.ofHours(24)).plusSeconds(random.nextInt((int) Duration.ofDays(6).toSeconds()));
                        long t0 = System.nanoTime();
                        String body = get(http, base + "/api/v1/events?" + shape.getValue().apply(t));
                        long took = System.nanoTime() - t0;
                        if (i >= 20) {
                            times.add(took);
                        }
                        if (!body.startsWith("{\"events\":[")) {
                            throw new IllegalStateException(body);
                        }
                    }
                    report(shape.getKey(), times);
                }
                // a deep page: the 10th page of severity_min=high, following cursors
                List<Long> deep = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String next = null;
                    long t0 = 0;
                    for (int page = 1; page <= 10; page++) {
                        t0 = System.nanoTime();
                        String body = get(http, base + "/api/v1/events?severity_min=high&limit=100"
                                + (next == null ? "" : "&cursor=" + next));
                        Matcher m = NEXT.matcher(body);
                        next = m.find() ? m.group(1) : null;
                    }
                    deep.add(System.nanoTime() - t0);
                }
                report("10th page of severity_min=high (cursor)", deep);
                List<Long> stats = new ArrayList<>();
                List<Long> dashboard = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    get(http, base + "/api/v1/stats/events?days=7");
                    stats.add(System.nanoTime() - t0);
                    t0 = System.nanoTime();
                    get(http, base + "/api/v1/dashboard?hours=24");
                    dashboard.add(System.nanoTime() - t0);
                }
                report("statistics, 7 days (all " + n + " events)", stats);
                report("dashboard, 24 h", dashboard);
            }
        }
    }

    static void report(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        System.out.printf("%-70s n=%d p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", name, sorted.size(), at(sorted, 50),
                at(sorted, 95), at(sorted, 99));
    }

    static double at(List<Long> sorted, double p) {
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100 * sorted.size()) - 1));
        return sorted.get(i) / 1e6;
    }

    static String get(HttpClient http, String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    static String size(TestPostgres pg) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
                     + "WHERE inhparent = 'events'::regclass")) {
            rs.next();
            return rs.getString(1);
        }
    }
}

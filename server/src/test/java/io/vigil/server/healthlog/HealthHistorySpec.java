package io.vigil.server.healthlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import io.vigil.server.event.NewEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Availability, silence, transitions under concurrency, and the components API, on controlled samples. */
@MicronautTest(transactional = false)
class HealthHistorySpec extends ServerSpec {

    /** A whole hour in the past: the 24-hour window of the availability pattern ends here. */
    static final Instant UNTIL = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    static final Instant FROM = UNTIL.minus(Duration.ofHours(24));

    @Inject
    HealthLog log;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.health.enabled", "false");
    }

    @BeforeEach
    void clean() {
        execute("TRUNCATE health_samples, component_status, events");
    }

    // ---- availability -----------------------------------------------------------------------------

    /**
     * agent/web-1 over the 24 hours before UNTIL, one sample a minute (interval 60 s, so a sample
     * covers at most 2 minutes), first seen a day before the window:
     * <ul>
     *   <li>minutes 100 to 129 degraded: 30 min = 1800 s</li>
     *   <li>minutes 600 to 689 down: 90 min = 5400 s</li>
     *   <li>no sample from minute 1000 to 1030: the sample of minute 999 covers two minutes (its
     *       cap), so minutes 1001 to 1030 are silent: 30 min = 1800 s</li>
     *   <li>the rest healthy: 86400 - 1800 - 5400 - 1800 = 77400 s</li>
     * </ul>
     */
    private void insertAgentPattern() {
        execute(("""
                INSERT INTO component_status (component, kind, status, since, last_sample_at, interval_ms, first_seen_at)
                VALUES ('agent/web-1', 'agent', 0, '%1$s'::timestamptz - interval '1 day',
                        '%1$s'::timestamptz + interval '1439 minutes', 60000, '%1$s'::timestamptz - interval '1 day');
                INSERT INTO health_samples (time, component, kind, status, reason, interval_ms)
                SELECT '%1$s'::timestamptz + m * interval '1 minute', 'agent/web-1', 'agent',
                       CASE WHEN m BETWEEN 100 AND 129 THEN 1 WHEN m BETWEEN 600 AND 689 THEN 2 ELSE 0 END,
                       CASE WHEN m BETWEEN 100 AND 129 THEN 'monitor disk failing' WHEN m BETWEEN 600 AND 689
                            THEN 'crashed' ELSE '' END, 60000
                  FROM generate_series(-5, 1439) AS m WHERE m NOT BETWEEN 1000 AND 1030""").formatted(FROM));
    }

    @Test
    void availabilityOfAKnownPatternIsExactToTheSecond() {
        insertAgentPattern();

        Response r = get("/api/v1/components/availability?window=24h&component=agent/web-1&until=" + UNTIL, ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        assertEquals("24h", r.json().get("window").asText());
        JsonNode a = r.json().get("components").get(0);
        assertEquals(1, r.json().get("components").size());
        assertEquals("agent/web-1", a.get("component").asText());
        assertEquals(86400.0, a.get("counted_seconds").asDouble());
        assertEquals(77400.0, a.get("healthy_seconds").asDouble());
        assertEquals(1800.0, a.get("degraded_seconds").asDouble());
        assertEquals(5400.0, a.get("down_seconds").asDouble());
        assertEquals(1800.0, a.get("silent_seconds").asDouble());
        assertEquals(91.66666666666667, a.get("up_pct").asDouble(), 1e-9, "(77400 + 1800) / 86400");
        assertEquals(89.58333333333333, a.get("healthy_pct").asDouble(), 1e-9, "77400 / 86400");
    }

    @Test
    void timeBeforeAComponentsFirstSampleIsNotCountedAndAComponentSilentAllWindowIsZero() {
        insertAgentPattern();
        // a server part that started 12 hours into the window and reported every 30 s since
        execute(("""
                INSERT INTO component_status (component, kind, status, since, last_sample_at, interval_ms, first_seen_at)
                VALUES ('server/b/database', 'server', 0, '%1$s'::timestamptz + interval '12 hours',
                        '%1$s'::timestamptz + interval '86370 seconds', 30000, '%1$s'::timestamptz + interval '12 hours');
                INSERT INTO health_samples (time, component, kind, status, interval_ms, db_round_trip_ms)
                SELECT '%1$s'::timestamptz + interval '12 hours' + s * interval '30 seconds', 'server/b/database',
                       'server', 0, 30000, 0.4 FROM generate_series(0, 1439) AS s;
                INSERT INTO component_status (component, kind, status, reason, since, last_sample_at, interval_ms,
                                              first_seen_at)
                VALUES ('agent/gone', 'agent', 2, 'silent', '%1$s'::timestamptz - interval '3 days',
                        '%1$s'::timestamptz - interval '3 days', 30000, '%1$s'::timestamptz - interval '9 days')
                """).formatted(FROM));

        JsonNode all = get("/api/v1/components/availability?window=24h&until=" + UNTIL, ADMIN_TOKEN).json()
                .get("components");

        assertEquals(List.of("agent/gone", "agent/web-1", "server/b/database"), names(all));
        JsonNode gone = all.get(0);
        assertEquals(0.0, gone.get("up_pct").asDouble());
        assertEquals(86400.0, gone.get("silent_seconds").asDouble());
        JsonNode db = all.get(2);
        assertEquals(43200.0, db.get("counted_seconds").asDouble(), "from its first sample on");
        assertEquals(100.0, db.get("up_pct").asDouble());
        assertEquals(0.0, db.get("silent_seconds").asDouble());
    }

    @Test
    void availabilityRefusesAnUnknownParameterAndABadWindow() {
        Response r = get("/api/v1/components/availability?window=fortnight&agent=x", ADMIN_TOKEN);

        assertEquals(400, r.status(), r.body());
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains("window must be a duration such as 30s, 5m, 1h or 7d, got \"fortnight\""), detail);
        assertTrue(detail.contains("unknown parameter \"agent\""), detail);
    }

    // ---- silence and transitions -------------------------------------------------------------------

    private HealthSample sample(String component, HealthStatus status, String reason, Instant time) {
        return new HealthSample(time, component, HealthSample.Kind.AGENT, null, status, reason,
                Duration.ofSeconds(30), null, null, null, null, null, null, null);
    }

    @Test
    void aComponentSilentForTwiceItsIntervalGoesDownOnceAndRecoversWithItsNextSample() {
        Instant t = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MICROS);
        log.record(sample("agent/quiet", HealthStatus.HEALTHY, "", t));

        assertEquals(List.of(), log.checkSilence(t.plusSeconds(60)), "exactly twice the interval: not yet");
        List<NewEvent> down = log.checkSilence(t.plusSeconds(61));
        List<NewEvent> again = log.checkSilence(t.plusSeconds(300));
        NewEvent recovered = log.record(sample("agent/quiet", HealthStatus.HEALTHY, "", t.plusSeconds(400)));

        assertEquals(1, down.size());
        assertEquals("server.component.down", down.get(0).type());
        assertEquals("agent/quiet", down.get(0).subject());
        assertTrue(down.get(0).attributesJson().contains("\"reason\":\"silent: no health sample since " + t), down.get(0).attributesJson());
        assertEquals(List.of(), again, "already down: no second event");
        assertEquals("server.component.recovered", recovered.type());
        assertTrue(recovered.attributesJson().contains("\"from\":\"down\""), recovered.attributesJson());
        Map<String, Object> row = queryOne("SELECT status, reason FROM component_status WHERE component = 'agent/quiet'");
        assertEquals(0, row.get("status"));
        assertEquals(2, count("SELECT count(*) FROM events WHERE subject = 'agent/quiet'"));
    }

    @Test
    void aRevokedAgentsSilenceIsNoOutage() {
        String token = postJson("/api/v1/agents", ADMIN_TOKEN, "{\"name\": \"old-1\"}").json().get("token").asText();
        postJson("/api/v1/heartbeat", token, "{}");
        execute("UPDATE agents SET revoked_at = now() WHERE name = 'old-1'");

        assertEquals(List.of(), log.checkSilence(Instant.now().plus(Duration.ofHours(1))));
    }

    @Test
    void twoReplicasRecordingTheSameChangeAtOnceEmitItOnce() throws Exception {
        Instant t = Instant.now();
        log.record(sample("agent/racy", HealthStatus.HEALTHY, "", t));

        List<NewEvent> emitted = concurrently(
                () -> log.record(sample("agent/racy", HealthStatus.DOWN, "crashed", t.plusMillis(1))),
                () -> log.record(sample("agent/racy", HealthStatus.DOWN, "crashed", t.plusMillis(2))));

        assertEquals(1, emitted.stream().filter(e -> e != null).count(), emitted.toString());
        assertEquals(1, count("SELECT count(*) FROM events WHERE type = 'server.component.down'"));
        assertEquals(3, count("SELECT count(*) FROM health_samples WHERE component = 'agent/racy'"));
    }

    @Test
    void twoReplicasCheckingSilenceAtOnceEmitOneDownEvent() throws Exception {
        Instant t = Instant.now().minus(Duration.ofMinutes(5));
        log.record(sample("agent/silent", HealthStatus.HEALTHY, "", t));

        List<List<NewEvent>> runs = concurrently(() -> log.checkSilence(Instant.now()),
                () -> log.checkSilence(Instant.now()));

        assertEquals(1, runs.get(0).size() + runs.get(1).size(), runs.toString());
        assertEquals(1, count("SELECT count(*) FROM events WHERE type = 'server.component.down'"));
    }

    @SafeVarargs
    private static <T> List<T> concurrently(Callable<T>... work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(work.length);
        ExecutorService pool = Executors.newFixedThreadPool(work.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> w : work) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return w.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- current status and history -------------------------------------------------------------------

    @Test
    void theComponentListShowsEachComponentsEffectiveStatusLastSampleAndAge() {
        Instant t = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MICROS);
        log.record(sample("agent/a", HealthStatus.DEGRADED, "monitor x failing", Instant.now().minusSeconds(2)));
        log.record(sample("agent/b", HealthStatus.HEALTHY, "", t));
        log.checkSilence(Instant.now());

        Response r = get("/api/v1/components", ADMIN_TOKEN);

        assertEquals(200, r.status(), r.body());
        JsonNode list = r.json().get("components");
        assertEquals(List.of("agent/a", "agent/b"), names(list));
        JsonNode a = list.get(0);
        assertEquals("degraded", a.get("status").asText());
        assertEquals("monitor x failing", a.get("reason").asText());
        assertFalse(a.get("silent").asBoolean());
        assertEquals("degraded", a.get("last_sample").get("status").asText());
        assertTrue(a.get("age_seconds").asDouble() >= 2 && a.get("age_seconds").asDouble() < 60, a.toString());
        JsonNode b = list.get(1);
        assertEquals("down", b.get("status").asText());
        assertTrue(b.get("silent").asBoolean());
        assertTrue(b.get("reason").asText().startsWith("silent: no health sample since"), b.toString());
        assertEquals("healthy", b.get("last_sample").get("status").asText(), "what it last said itself");
        assertEquals(t.plusSeconds(60), Instant.parse(b.get("since").asText()), "down since its coverage ended");
    }

    @Test
    void historyReturnsTheRangeOldestFirstBoundedByLimitAndDownsampledByStep() {
        insertAgentPattern();
        String base = "/api/v1/components/agent/web-1/history?since=" + enc(FROM.plus(Duration.ofMinutes(598)))
                + "&until=" + enc(FROM.plus(Duration.ofMinutes(603)));

        JsonNode raw = get(base, ADMIN_TOKEN).json();
        JsonNode limited = get(base + "&limit=2", ADMIN_TOKEN).json();
        JsonNode stepped = get("/api/v1/components/agent/web-1/history?since=" + enc(FROM) + "&until="
                + enc(FROM.plus(Duration.ofHours(12))) + "&step=1h", ADMIN_TOKEN).json();

        assertEquals("agent/web-1", raw.get("component").asText());
        assertEquals(List.of("healthy", "healthy", "down", "down", "down"), statuses(raw.get("samples")));
        assertEquals(FROM.plus(Duration.ofMinutes(598)), Instant.parse(raw.get("samples").get(0).get("time").asText()));
        assertEquals("crashed", raw.get("samples").get(2).get("reason").asText());
        assertEquals(2, limited.get("samples").size());
        assertEquals(3600, stepped.get("step_seconds").asLong());
        JsonNode steps = stepped.get("samples");
        assertEquals(12, steps.size());
        assertEquals("degraded", steps.get(1).get("status").asText(), "minutes 100-129 are in the second hour");
        assertEquals("monitor disk failing", steps.get(1).get("reason").asText());
        assertEquals("down", steps.get(10).get("status").asText(), "minutes 600-689 reach into hour 11");
        assertEquals("down", steps.get(11).get("status").asText());
        assertEquals("healthy", steps.get(0).get("status").asText());
    }

    @Test
    void historyOfAnUnknownComponentIs404AndBadParametersAre400() {
        Response missing = get("/api/v1/components/agent/nobody/history", ADMIN_TOKEN);
        insertAgentPattern();
        Response bad = get("/api/v1/components/agent/web-1/history?limit=0&step=soon", ADMIN_TOKEN);

        assertEquals(404, missing.status(), missing.body());
        assertTrue(missing.json().get("detail").asText().contains("no component named \"agent/nobody\""));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.json().get("detail").asText().contains("limit must be between 1 and 10000, got 0"));
        assertTrue(bad.json().get("detail").asText().contains("step must be a duration"));
    }

    @Test
    void theComponentsApiNeedsAViewer() {
        assertEquals(401, get("/api/v1/components", null).status());
        assertEquals(403, get("/api/v1/components", AGENT_TOKEN).status());
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("component").asText()));
        return out;
    }

    private static List<String> statuses(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("status").asText()));
        return out;
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void aSampleNeverClaimsMoreThanAnHourOfCoverage() {
        HealthSample s = sample("agent/x", HealthStatus.HEALTHY, "ignored when healthy", Instant.now());
        HealthSample slow = new HealthSample(s.time(), s.component(), s.kind(), null, HealthStatus.HEALTHY, "",
                Duration.ofDays(1), null, null, null, null, null, null, null);

        assertEquals("", s.reason());
        assertEquals(Duration.ofHours(1), slow.interval());
        assertNull(slow.agentId());
    }
}

package io.vigil.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class IngestSpec extends ServerSpec {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_EVENTS = 50;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.ingest.max-batch-bytes", Integer.toString(MAX_BYTES),
                "vigil.ingest.max-events", Integer.toString(MAX_EVENTS),
                "vigil.ingest.max-metrics", "100",
                "micronaut.server.max-request-size", Integer.toString(2 * MAX_BYTES));
    }

    @BeforeEach
    void emptyTables() {
        clearStoredData();
    }

    @Test
    void ingestStoresEveryFieldOfAnEvent() {
        Map<String, Object> event = event(Map.of());
        Response r = ingest(events(event));

        assertEquals(200, r.status(), r.body());
        assertEquals("{\"accepted_events\":1,\"duplicate_events\":0,\"accepted_metrics\":0,\"duplicate_metrics\":0}",
                r.body());
        Map<String, Object> row = queryOne("""
                SELECT e.id::text AS id, e.time, e.received_at, a.name AS agent_name, e.host, e.agent, e.monitor,
                       e.plugin, e.type, e.severity, e.subject, e.title,
                       e.attributes = '{"n": 1, "nested": {"a": [1, 2]}}'::jsonb AS attributes_match,
                       jsonb_typeof(e.attributes -> 'nested') AS nested_type,
                       e.fingerprint, e.trace_id, e.session_id
                  FROM events e JOIN agents a ON a.id = e.agent_id""");
        assertEquals(event.get("id"), row.get("id"));
        assertEquals(Instant.parse("2026-11-27T10:00:00.123Z"), ((Timestamp) row.get("time")).toInstant());
        assertNotNull(row.get("received_at"));
        assertEquals(AGENT_NAME, row.get("agent_name"));
        assertEquals("web-1", row.get("host"));
        assertEquals("web-1", row.get("agent"));
        assertEquals("heartbeat", row.get("monitor"));
        assertEquals("example", row.get("plugin"));
        assertEquals("example.heartbeat", row.get("type"));
        assertEquals((short) 0, ((Number) row.get("severity")).shortValue());
        assertEquals("web-1", row.get("subject"));
        assertEquals("alive", row.get("title"));
        assertEquals(Boolean.TRUE, row.get("attributes_match"));
        assertEquals("object", row.get("nested_type"));
        assertEquals("a1b2c3", row.get("fingerprint"));
        assertEquals("trace-1", row.get("trace_id"));
        assertEquals("session-1", row.get("session_id"));
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        Map<String, Object> minimal = new HashMap<>();
        minimal.put("id", uuid7().toString());
        minimal.put("time", "2026-11-27T10:00:00Z");
        minimal.put("type", "example.minimal");
        minimal.put("severity", "low");

        Response r = ingest(batch(List.of(minimal), List.of()));

        assertEquals(200, r.status(), r.body());
        Map<String, Object> row = queryOne("SELECT subject, title, attributes::text AS attributes, host, fingerprint FROM events");
        assertEquals("", row.get("subject"));
        assertEquals("", row.get("title"));
        assertEquals("{}", row.get("attributes"));
        assertEquals(null, row.get("host"));
        assertEquals(null, row.get("fingerprint"));
    }

    @Test
    void contentTypeWithCharsetIsAccepted() {
        Response r = send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(events(event(Map.of("title", "caf\u00e9 \u2713"))))));

        assertEquals(200, r.status(), r.body());
        assertEquals("caf\u00e9 \u2713", queryOne("SELECT title FROM events").get("title"));
    }

    @Test
    void redeliveredEventIsStoredOnceAndCountedAsDuplicate() {
        String body = events(event(Map.of()), event(Map.of()));
        assertEquals(200, ingest(body).status());

        Response again = ingest(body);

        assertEquals(200, again.status(), again.body());
        assertEquals(0, again.json().get("accepted_events").asInt());
        assertEquals(2, again.json().get("duplicate_events").asInt());
        assertEquals(2, count("SELECT count(*) FROM events"));
    }

    @Test
    void gzipBodyIsAccepted() {
        Map<String, Object> event = event(Map.of());

        Response r = ingestGzip(utf8(events(event)));

        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().get("accepted_events").asInt());
        assertEquals(1, count("SELECT count(*) FROM events WHERE id = ?::uuid", event.get("id")));
    }

    @Test
    void rejectsInvalidItemsWith400ListingEachPathAndStoresNothing() {
        Map<String, Object> attributesNotObject = new HashMap<>();
        attributesNotObject.put("attributes", List.of(1, 2));
        List<Map<String, Object>> events = List.of(
                event(Map.of()),                                             // valid, yet not stored either
                event(Map.of("severity", "urgent")),
                event(Map.of("id", "not-a-uuid", "type", "Docker.Died")),
                event(attributesNotObject),
                event(Map.of("title", "x".repeat(1025))));
        Map<String, Object> noTime = event(Map.of());
        noTime.remove("time");
        List<Map<String, Object>> allEvents = new ArrayList<>(events);
        allEvents.add(noTime);
        List<Map<String, Object>> metrics = List.of(
                metric("example.uptime_seconds", 1, Map.of("host", "web-1"), "2026-11-27T10:00:00Z"),
                metric("example.uptime_seconds", 1, Map.of("Host", "web-1"), "not a time"));

        Response r = ingest(batch(allEvents, metrics));

        assertEquals(400, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("invalid batch", json.get("error").asText());
        List<String> problems = new ArrayList<>();
        json.get("items").forEach(i -> problems.add(i.get("path").asText() + ": " + i.get("message").asText()));
        assertEquals(List.of(
                "events[1].severity: unknown severity \"urgent\": expected one of info, low, medium, high, critical",
                "events[2].id: id must be a UUID (version 7 expected) such as 0190f5a2-7c4e-7d3a-9b1e-2f4c6a8b0d12, "
                        + "got \"not-a-uuid\"",
                "events[2].type: type must be dotted lower-case words such as docker.container.died "
                        + "(pattern [a-z][a-z0-9_]*(\\.[a-z0-9_]+)*), got \"Docker.Died\"",
                "events[3].attributes: attributes must be a JSON object, got an array",
                "events[4].title: title is 1025 characters, the limit is 1024",
                "events[5].time: time is required: an ISO-8601 UTC time such as 2026-11-27T10:00:00.123Z",
                "metrics[1].labels.Host: label name \"Host\" must match [a-z_][a-z0-9_]* (at most 128 characters)",
                "metrics[1].time: time must be an ISO-8601 time with offset such as 2026-11-27T10:00:00.123Z, "
                        + "got \"not a time\""), problems);
        assertEquals(0, count("SELECT count(*) FROM events"));
        assertEquals(0, count("SELECT count(*) FROM metric_samples"));
    }

    @Test
    void nonFiniteMetricValueAndNulCharactersAreRejected() {
        String body = "{\"events\":[" + JSON.valueToTree(event(Map.of("subject", "a\u0000b"))) + "],"
                + "\"metrics\":[{\"name\":\"x.y\",\"value\":1e999,\"time\":\"2026-11-27T10:00:00Z\"},"
                + "{\"name\":\"x.y\",\"value\":\"12\",\"time\":\"2026-11-27T10:00:00Z\"}]}";

        Response r = ingest(body);

        assertEquals(400, r.status(), r.body());
        List<String> paths = new ArrayList<>();
        r.json().get("items").forEach(i -> paths.add(i.get("path").asText()));
        assertEquals(List.of("events[0].subject", "metrics[0].value", "metrics[1].value"), paths);
        assertTrue(r.json().get("items").get(1).get("message").asText().contains("finite"));
    }

    @Test
    void malformedJsonIs400WithPosition() {
        String body = "{\"events\": [\n  {\"id\": \"x\",}\n]}";

        Response r = ingest(body);

        assertEquals(400, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(2, json.get("line").asInt());
        assertEquals(14, json.get("column").asInt()); // the stray }
        assertTrue(json.get("error").asText().startsWith("malformed JSON at line 2, column 14: "), json.toString());
        assertEquals(0, count("SELECT count(*) FROM events"));
    }

    @Test
    void bodyThatIsNotABatchObjectIs400() {
        Response r = ingest("[1, 2]");

        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("must be a JSON object"), r.body());
    }

    @Test
    void corruptGzipIs400() {
        Response r = send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(utf8("{\"events\": []}"))));

        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("not valid gzip"), r.body());
    }

    @Test
    void oversizedBatchIs413AndStoresNothing() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // 40 events of ~2 KB: over 64 KiB, under the 50-event limit
            events.add(event(Map.of("attributes", Map.of("padding", "p".repeat(2000)))));
        }

        Response r = ingest(batch(events, List.of()));

        assertEquals(413, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("larger than " + MAX_BYTES + " bytes"), r.body());
        assertEquals(0, count("SELECT count(*) FROM events"));
    }

    @Test
    void bodyOverTheTransportLimitIs413() {
        // over micronaut.server.max-request-size: refused by the HTTP layer before the batch is read
        Response r = ingest("{\"events\": [" + " ".repeat(3 * MAX_BYTES) + "]}");

        assertEquals(413, r.status(), r.body());
        assertTrue(r.json().get("error").isTextual(), r.body());
    }

    @Test
    void gzipBombIs413WhileDecompressing() {
        // 20 MB of whitespace inside a valid batch compresses to about 20 KB
        byte[] plain = utf8("{\"events\": [" + " ".repeat(20_000_000) + "]}");

        Response r = ingestGzip(plain);

        assertEquals(413, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("measured after decompression"), r.body());
    }

    @Test
    void moreEventsThanTheLimitIs413() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i <= MAX_EVENTS; i++) {
            events.add(event(Map.of("attributes", Map.of())));
        }

        Response r = ingest(batch(events, List.of()));

        assertEquals(413, r.status(), r.body());
        assertEquals("the batch has more than 50 events (vigil.ingest.max-events): split it into smaller batches",
                r.json().get("error").asText());
        assertEquals(0, count("SELECT count(*) FROM events"));
    }

    @Test
    void metricsCreateSeriesOnceAndSamplesIdempotent() {
        // two series; the second is sent twice with its labels in another order
        String body = "{\"metrics\": ["
                + "{\"name\":\"example.uptime_seconds\",\"value\":12.5,\"unit\":\"seconds\",\"labels\":{\"host\":\"web-1\"},\"time\":\"2026-11-27T10:00:00Z\"},"
                + "{\"name\":\"example.uptime_seconds\",\"value\":13.5,\"unit\":\"seconds\",\"labels\":{\"host\":\"web-1\"},\"time\":\"2026-11-27T10:00:10Z\"},"
                + "{\"name\":\"example.load\",\"value\":0.5,\"labels\":{\"host\":\"web-1\",\"cpu\":\"0\"},\"time\":\"2026-11-27T10:00:00Z\"},"
                + "{\"name\":\"example.load\",\"value\":0.7,\"labels\":{\"cpu\":\"0\",\"host\":\"web-1\"},\"time\":\"2026-11-27T10:00:10Z\"}"
                + "]}";

        Response first = ingest(body);
        Response again = ingest(body);

        assertEquals(200, first.status(), first.body());
        assertEquals("{\"accepted_events\":0,\"duplicate_events\":0,\"accepted_metrics\":4,\"duplicate_metrics\":0}",
                first.body());
        assertEquals("{\"accepted_events\":0,\"duplicate_events\":0,\"accepted_metrics\":0,\"duplicate_metrics\":4}",
                again.body());
        assertEquals(2, count("SELECT count(*) FROM metric_series"));
        assertEquals(4, count("SELECT count(*) FROM metric_samples"));
        Map<String, Object> series = queryOne("SELECT unit, labels = '{\"host\": \"web-1\"}'::jsonb AS labels_match "
                + "FROM metric_series WHERE name = 'example.uptime_seconds'");
        assertEquals("seconds", series.get("unit"));
        assertEquals(Boolean.TRUE, series.get("labels_match"));
        assertEquals(13.5, ((Number) queryOne("SELECT value FROM metric_samples s JOIN metric_series m ON m.id = s.series_id "
                + "WHERE m.name = 'example.uptime_seconds' AND s.time = '2026-11-27T10:00:10Z'").get("value")).doubleValue());
    }

    @Test
    void eventsAndMetricsOfOneBatchAreStoredTogether() {
        Response r = ingest(batch(List.of(event(Map.of())),
                List.of(metric("example.uptime_seconds", 1, Map.of(), "2026-11-27T10:00:00Z"))));

        assertEquals("{\"accepted_events\":1,\"duplicate_events\":0,\"accepted_metrics\":1,\"duplicate_metrics\":0}",
                r.body());
    }

    @Test
    void concurrentOverlappingBatchesAllSucceedAndStoreEachItemOnce() throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event(Map.of("attributes", Map.of("i", i))));
            metrics.add(metric("example.concurrent", i, Map.of("series", Integer.toString(i % 5)),
                    "2026-11-27T10:00:" + String.format("%02d", i) + "Z"));
        }
        int batches = 8;
        List<java.util.concurrent.Future<Response>> responses = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(batches);
        try {
            for (int b = 0; b < batches; b++) {
                List<Map<String, Object>> e = new ArrayList<>(events);
                List<Map<String, Object>> m = new ArrayList<>(metrics);
                java.util.Collections.shuffle(e, new java.util.Random(b)); // a re-batched retry: other order
                java.util.Collections.shuffle(m, new java.util.Random(b));
                String body = batch(e, m);
                responses.add(pool.submit(() -> ingest(body)));
            }
            int acceptedEvents = 0;
            int acceptedMetrics = 0;
            for (var f : responses) {
                Response r = f.get();
                assertEquals(200, r.status(), r.body());
                acceptedEvents += r.json().get("accepted_events").asInt();
                acceptedMetrics += r.json().get("accepted_metrics").asInt();
            }
            assertEquals(20, acceptedEvents);
            assertEquals(20, acceptedMetrics);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, count("SELECT count(*) FROM events"));
        assertEquals(5, count("SELECT count(*) FROM metric_series WHERE name = 'example.concurrent'"));
        assertEquals(20, count("SELECT count(*) FROM metric_samples"));
    }

    @Test
    void emptyBodyIs400() {
        Response r = ingest("");

        assertEquals(400, r.status(), r.body());
        assertEquals("the body is empty: send a JSON object {\"events\": [...], \"metrics\": [...]}",
                r.json().get("error").asText());
    }

    @Test
    void unknownTokenIs401() {
        Response r = postJson("/api/v1/ingest", "not-a-known-token", events(event(Map.of())));

        assertEquals(401, r.status(), r.body());
        assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"), r.header("WWW-Authenticate"));
        assertEquals("unknown token: it is not the admin token, an API key or an agent's token (revoked ones are refused too)",
                r.json().get("detail").asText());
        assertEquals(0, count("SELECT count(*) FROM events"));
    }

    @Test
    void aRefusedLargeBodyDoesNotHoldUpTheNextRequest() {
        String large = "{\"events\": [" + " ".repeat(MAX_BYTES - 100) + "]}";
        assertEquals(401, postJson("/api/v1/ingest", "not-a-known-token", large).status());
        assertEquals(413, ingest(large + " ".repeat(200)).status());

        Response next = ingest(events(event(Map.of())));

        assertEquals(200, next.status(), next.body());
    }

    @Test
    void missingTokenIs401() {
        Response r = postJson("/api/v1/ingest", null, events(event(Map.of())));

        assertEquals(401, r.status(), r.body());
        assertEquals("Bearer realm=\"vigil\"", r.header("WWW-Authenticate"));
    }

    @Test
    void adminTokenCannotIngest403() {
        Response r = postJson("/api/v1/ingest", ADMIN_TOKEN, events(event(Map.of())));

        assertEquals(403, r.status(), r.body());
    }

    @Test
    void unsupportedContentEncodingIs415() {
        Response r = send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "application/json")
                .header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertEquals(415, r.status(), r.body());
        assertTrue(r.json().get("error").asText().startsWith("Content-Encoding 'br' is not supported"), r.body());
    }

    @Test
    void ingestRecordsWhenTheAgentWasLastSeenAndItsVersion() {
        execute("UPDATE agents SET last_seen_at = NULL, version = NULL");

        Response r = send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "application/json")
                .header("User-Agent", "vigil-agent/1.2.3 (linux)")
                .POST(HttpRequest.BodyPublishers.ofString(events(event(Map.of())))));

        assertEquals(200, r.status(), r.body());
        Map<String, Object> agent = queryOne("SELECT last_seen_at, version FROM agents WHERE name = ?", AGENT_NAME);
        assertNotNull(agent.get("last_seen_at"));
        assertEquals("1.2.3", agent.get("version"));
    }

    @Test
    void idsOfOtherUuidVersionsAreAccepted() {
        String v4 = UUID.randomUUID().toString();

        Response r = ingest(events(event(Map.of("id", v4))));

        assertEquals(200, r.status(), r.body());
        assertEquals(1, count("SELECT count(*) FROM events WHERE id = ?::uuid", v4));
    }

    @Test
    void itemsTimedMoreThanMaxFutureAheadAre400AndNothingIsStored() {
        String tomorrowAndABit = java.time.Instant.now().plus(java.time.Duration.ofHours(25)).toString();

        Response r = ingest(batch(List.of(event(Map.of()), event(Map.of("time", tomorrowAndABit))),
                List.of(metric("example.load", 1, Map.of(), tomorrowAndABit))));

        assertEquals(400, r.status(), r.body());
        List<String> paths = new ArrayList<>();
        r.json().get("items").forEach(i -> paths.add(i.get("path").asText()));
        assertEquals(List.of("events[1].time", "metrics[0].time"), paths);
        assertTrue(r.json().get("items").get(0).get("message").asText().contains("is ahead of the server clock by more "
                + "than vigil.ingest.max-future"), r.body());
        assertEquals(0, count("SELECT count(*) FROM events"));
    }
}

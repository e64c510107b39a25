package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import io.vigil.server.testing.TestPostgres;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * What every server specification shares: its own PostgreSQL database, the server under test
 * configured with known tokens, an HTTP client speaking the wire format, and JDBC for looking at
 * what was stored. Subclasses carry {@code @MicronautTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerSpec implements TestPropertyProvider {

    public static final String ADMIN_TOKEN = "admin-token-for-the-specifications-0001";
    public static final String AGENT_TOKEN = "agent-token-for-the-specifications-0001";
    public static final String AGENT_NAME = "spec-agent";
    /** The vault key of the specifications (the server does not start without one): {@code <kid>:<base64>}. */
    public static final String VAULT_KEY = "spec:" + java.util.Base64.getEncoder().encodeToString(
            "vigil-spec-vault-key-32-bytes!!!".getBytes(StandardCharsets.US_ASCII));
    public static final ObjectMapper JSON = new ObjectMapper();

    protected final TestPostgres pg = TestPostgres.create();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    protected EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(pg.micronautProperties());
        p.put("vigil.auth.admin-token", ADMIN_TOKEN);
        p.put("vigil.agents.bootstrap-token", AGENT_TOKEN);
        p.put("vigil.agents.bootstrap-name", AGENT_NAME);
        p.put("vigil.vault.key", VAULT_KEY);
        // no periodic health sampling: its transition events would mix with what a spec counts
        // (the healthlog specs switch it on and run the sampler themselves)
        p.put("vigil.health.enabled", "false");
        // any free port: several suites (and a server someone runs) may share the machine
        p.put("micronaut.server.port", "-1");
        p.putAll(extraProperties());
        return p;
    }

    /** Properties a specification adds or overrides. */
    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @AfterAll
    void dropDatabase() {
        pg.close();
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    /** The answer to a request: status, headers, body text and (when JSON) its tree. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    protected Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURI() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    protected Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    protected Response postJson(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected Response ingest(String json) {
        return postJson("/api/v1/ingest", AGENT_TOKEN, json);
    }

    protected Response ingestGzip(byte[] body) {
        return send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));
    }

    protected static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- wire format -----------------------------------------------------------------------------

    /** A complete valid event of the wire format; {@code overrides} replace or add fields (null removes). */
    protected static Map<String, Object> event(Map<String, Object> overrides) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", uuid7().toString());
        e.put("time", "2026-11-27T10:00:00.123Z");
        e.put("host", "web-1");
        e.put("agent", "web-1");
        e.put("monitor", "heartbeat");
        e.put("plugin", "example");
        e.put("type", "example.heartbeat");
        e.put("severity", "info");
        e.put("subject", "web-1");
        e.put("title", "alive");
        e.put("attributes", Map.of("n", 1, "nested", Map.of("a", List.of(1, 2))));
        e.put("fingerprint", "a1b2c3");
        e.put("trace_id", "trace-1");
        e.put("session_id", "session-1");
        overrides.forEach((k, v) -> {
            if (v == null) {
                e.remove(k);
            } else {
                e.put(k, v);
            }
        });
        return e;
    }

    protected static Map<String, Object> metric(String name, double value, Map<String, String> labels, String time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", value);
        m.put("unit", "seconds");
        m.put("labels", labels);
        m.put("time", time);
        return m;
    }

    protected static String batch(List<Map<String, Object>> events, List<Map<String, Object>> metrics) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("events", events);
        b.put("metrics", metrics);
        try {
            return JSON.writeValueAsString(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String events(Map<String, Object>... events) {
        return batch(List.of(events), List.of());
    }

    /** A version 7 UUID, as agents make them. */
    protected static UUID uuid7() {
        long millis = System.currentTimeMillis();
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (millis << 16) | 0x7000L | (r.nextInt() & 0xFFFL);
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    // ---- database --------------------------------------------------------------------------------

    protected long count(String sql, Object... args) {
        return ((Number) queryOne(sql, args).values().iterator().next()).longValue();
    }

    /** The first row of a query as column name to value, or an empty map. */
    protected Map<String, Object> queryOne(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    protected List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = pg.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    protected void execute(String sql) {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** Empties the event and metric tables (agents stay). */
    protected void clearStoredData() {
        execute("TRUNCATE events, metric_samples, metric_series");
        // the writer caches series ids; the truncated rows are gone
        server.getApplicationContext().getBean(io.vigil.server.metric.MetricWriter.class).forgetSeries();
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

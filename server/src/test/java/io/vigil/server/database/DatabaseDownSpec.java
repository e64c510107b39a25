package io.vigil.server.database;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import io.vigil.server.testing.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server reaches PostgreSQL through a TCP proxy that the tests cut: from the server's side
 * exactly what happens when the database goes away (open connections die, new ones are refused).
 */
@MicronautTest(transactional = false)
class DatabaseDownSpec extends ServerSpec {

    private final TcpProxy proxy = new TcpProxy(pg.host(), pg.port()).start();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("datasources.default.url", pg.jdbcUrlVia("127.0.0.1", proxy.port()));
        p.put("datasources.default.connection-timeout", "1000");
        p.put("vigil.database.retry-after", "7s");
        return p;
    }

    @AfterEach
    void databaseBack() {
        proxy.start();
    }

    @AfterAll
    void closeProxy() {
        proxy.close();
    }

    @Test
    void databaseDownGives503WithRetryAfter() {
        proxy.stop();

        Response r = ingest(events(event(Map.of())));

        assertEquals(503, r.status(), r.body());
        assertEquals("7", r.header("Retry-After"));
        assertEquals("the database is unavailable; nothing was stored, retry after 7 s", r.json().get("error").asText());
        proxy.start();
        assertEquals(0, count("SELECT count(*) FROM events"));
    }

    @Test
    void readApiAnswers503TooWhileTheDatabaseIsDown() {
        proxy.stop();

        Response r = get("/api/v1/events", ADMIN_TOKEN);

        assertEquals(503, r.status(), r.body());
        assertEquals("7", r.header("Retry-After"));
    }

    @Test
    void healthIsDownWhileTheDatabaseIsDown() {
        proxy.stop();

        Response r = get("/health", null);

        assertEquals(503, r.status(), r.body());
        assertEquals("DOWN", r.json().get("status").asText());
    }

    @Test
    void ingestWorksAgainOnceTheDatabaseIsBack() throws InterruptedException {
        String batch = events(event(Map.of()));
        proxy.stop();
        assertEquals(503, ingest(batch).status());
        proxy.start();

        // as an agent does: retry the same batch. Hikari backs off up to 5 s between attempts to
        // reconnect, so the first retries may still be 503.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response r = ingest(batch);
        while (r.status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = ingest(batch);
        }

        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().get("accepted_events").asInt());
    }
}

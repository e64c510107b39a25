package io.vigil.server.ingest;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A server that stores one batch at a time. */
@MicronautTest(transactional = false)
class IngestBackpressureSpec extends ServerSpec {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.ingest.max-in-flight", "1", "vigil.ingest.queue-timeout", "0s",
                "vigil.ingest.busy-retry-after", "3s");
    }

    @Test
    void aBatchArrivingWhileTheSlotsAreTakenIs429WithRetryAfterAndStoresNothing() throws Exception {
        CompletableFuture<Response> first;
        Response second;
        try (Connection blocker = pg.connect(); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // the first batch creates a series and waits for this lock, holding the only slot
            st.execute("LOCK TABLE metric_series IN ACCESS EXCLUSIVE MODE");
            first = CompletableFuture.supplyAsync(() -> ingest(batch(List.of(),
                    List.of(metric("example.blocked", 1, Map.of(), "2026-11-27T10:00:00Z")))));
            waitUntilWaitingForTheLock();

            second = ingest(events(event(Map.of())));

            assertFalse(first.isDone());
            blocker.commit();
        }
        assertEquals(429, second.status(), second.body());
        assertEquals("3", second.header("Retry-After"));
        assertEquals("the server is storing 1 batches already (vigil.ingest.max-in-flight); nothing was stored, "
                + "retry after 3 s", second.json().get("detail").asText());
        assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
        assertEquals(0, count("SELECT count(*) FROM events"));
        assertEquals(200, ingest(events(event(Map.of()))).status());
    }

    private void waitUntilWaitingForTheLock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'metric_series'::regclass") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first batch never waited for the lock");
            }
            Thread.sleep(20);
        }
    }
}

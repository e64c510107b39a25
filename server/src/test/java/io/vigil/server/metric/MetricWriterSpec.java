package io.vigil.server.metric;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@MicronautTest(transactional = false)
class MetricWriterSpec extends ServerSpec {

    @Inject
    MetricWriter writer;

    @Test
    void seriesCreatedByAConcurrentTransactionIsFoundNotLost() throws Exception {
        NewSample first = new NewSample("example.race", "", "{\"host\":\"a\"}", Instant.parse("2026-11-27T10:00:00Z"), 1);
        NewSample second = new NewSample("example.race", "", "{\"host\":\"a\"}", Instant.parse("2026-11-27T10:00:01Z"), 2);
        try (Connection a = pg.connect(); Connection b = pg.connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            assertEquals(1, writer.insert(a, List.of(first))); // creates the series, not committed yet

            // b's statement takes its snapshot now, then waits on a's uncommitted series row
            CompletableFuture<Integer> inB = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.insert(b, List.of(second));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(inB.isDone(), "b should be waiting for a's series row");
            a.commit();

            assertEquals(1, inB.get(10, TimeUnit.SECONDS));
            b.commit();
        }
        assertEquals(1, count("SELECT count(*) FROM metric_series WHERE name = 'example.race'"));
        assertEquals(2, count("SELECT count(*) FROM metric_samples s JOIN metric_series m ON m.id = s.series_id "
                + "WHERE m.name = 'example.race'"));
    }
}

package io.vigil.server.event;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class EventPaginationSpec extends ServerSpec {

    @Test
    void pagesStayStableWhileNewEventsArriveConcurrently() throws Exception {
        clearStoredData();
        Instant base = Instant.now().minusSeconds(600);
        List<Map<String, Object>> existing = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // pairs share a time: the id must break the tie the same way on every page
            existing.add(event(Map.of("title", "old-" + i, "time", base.plusSeconds(i / 2).toString())));
        }
        assertEquals(200, ingest(batch(existing, List.of())).status());
        existing.stream()
                .sorted((a, b) -> {
                    int t = Instant.parse((String) b.get("time")).compareTo(Instant.parse((String) a.get("time")));
                    return t != 0 ? t : ((String) b.get("id")).compareTo((String) a.get("id"));
                })
                .forEach(e -> expected.add((String) e.get("title")));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger arrived = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                if (ingest(events(event(Map.of("title", "new", "time", Instant.now().toString())))).status() == 200) {
                    arrived.incrementAndGet();
                }
            }
        });
        writer.start();
        List<String> seen = new ArrayList<>();
        try {
            String cursor = null;
            do {
                Response page = get("/api/v1/events?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_TOKEN);
                assertEquals(200, page.status(), page.body());
                page.json().get("events").forEach(e -> seen.add(e.get("title").asText()));
                cursor = page.json().get("next").isNull() ? null : page.json().get("next").asText();
                Thread.sleep(20); // let new events arrive between pages
            } while (cursor != null);
        } finally {
            stop.set(true);
            writer.join();
        }

        List<String> old = seen.stream().filter(t -> t.startsWith("old-")).toList();
        assertEquals(expected, old);
        assertTrue(arrived.get() > 0, "no event arrived while paging");
        Set<String> unique = new HashSet<>(seen.stream().filter(t -> !t.equals("new")).toList());
        assertEquals(old.size(), unique.size());
    }
}

package io.vigil.agent.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agent.spool.Spool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Reads what is in a spool as JSON, for assertions (also by the session tests). */
public final class SpooledItems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpooledItems() {
    }

    public static List<JsonNode> events(Spool spool) throws InterruptedException {
        return parse(spool.next(100_000, Long.MAX_VALUE, Duration.ZERO).events());
    }

    static List<JsonNode> metrics(Spool spool) throws InterruptedException {
        return parse(spool.next(100_000, Long.MAX_VALUE, Duration.ZERO).metrics());
    }

    private static List<JsonNode> parse(List<byte[]> items) {
        return items.stream().map(b -> {
            try {
                return JSON.readTree(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }
}

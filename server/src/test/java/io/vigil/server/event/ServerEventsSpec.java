package io.vigil.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import io.vigil.server.ingest.IngestedBatch;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ServerEventsSpec extends ServerSpec {

    @Inject
    ServerEvents serverEvents;
    @Inject
    Published published;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("spec.server-events", "true");
    }

    @Test
    void aServerEventIsStoredWithoutAnAgentAndPublishedToRules() {
        NewEvent stored = serverEvents.emit(ServerEvents.Emission.of("vault", "server.secret.expiring",
                Severity.MEDIUM, "slack-token", "secret slack-token expires in 3 days", Map.of("days_left", 3)));

        JsonNode events = get("/api/v1/events?plugin=server", ADMIN_TOKEN).json().get("events");
        assertEquals(1, events.size(), events.toString());
        JsonNode e = events.get(0);
        assertEquals(stored.id().toString(), e.get("id").asText());
        assertTrue(e.get("agent_id").isNull(), "no agent shipped it: " + e);
        assertEquals("vigil-server", e.get("agent").asText());
        assertEquals("vault", e.get("monitor").asText());
        assertEquals("medium", e.get("severity").asText());
        assertEquals(3, e.get("attributes").get("days_left").asInt());
        assertEquals(io.vigil.api.Event.defaultFingerprint("server", "server.secret.expiring", "slack-token"),
                e.get("fingerprint").asText());

        IngestedBatch batch = published.batches.stream()
                .filter(b -> b.newEvents().stream().anyMatch(n -> n.id().equals(stored.id()))).findFirst().orElseThrow();
        assertNull(batch.agentId());
        assertEquals(ServerEvents.AGENT, batch.agentName());
    }

    @Singleton
    @Requires(property = "spec.server-events")
    static class Published implements ApplicationEventListener<IngestedBatch> {
        final List<IngestedBatch> batches = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(IngestedBatch event) {
            batches.add(event);
        }
    }
}

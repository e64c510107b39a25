package io.vigil.server.notify.pagerduty;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.LogCapture;
import io.vigil.server.notify.Receiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static io.vigil.server.notify.ChannelFixture.HTTP;
import static io.vigil.server.notify.ChannelFixture.JSON;
import static io.vigil.server.notify.ChannelFixture.encrypted;
import static io.vigil.server.notify.ChannelFixture.firing;
import static io.vigil.server.notify.ChannelFixture.parse;
import static io.vigil.server.notify.ChannelFixture.resolved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagerDutyChannelSpec {

    private static final String ROUTING_KEY = "R0UT1NGKEYspec0000000000000000AB";

    private final Receiver pagerduty = Receiver.start();
    private final PagerDutyChannelType type = new PagerDutyChannelType(HTTP, JSON);

    @AfterAll
    void stop() {
        pagerduty.close();
    }

    private Channel channel() {
        return parse(type, "routing_key: " + encrypted(ROUTING_KEY) + "\nurl: " + pagerduty.uri("/v2/enqueue")
                + "\nsource: vigil-spec\n");
    }

    @Test
    void aFiringGroupTriggersAndItsResolutionResolvesTheSameIncident() throws Exception {
        pagerduty.answer(202, "{\"status\":\"success\",\"dedup_key\":\"root|alert:7\"}");
        pagerduty.answer(202, "{\"status\":\"success\",\"dedup_key\":\"root|alert:7\"}");
        Channel c = channel();
        assertEquals(DeliveryResult.Outcome.DELIVERED, c.send(1, firing()).outcome());
        assertEquals(DeliveryResult.Outcome.DELIVERED, c.send(2, resolved()).outcome());

        List<Receiver.Hit> hits = pagerduty.await(h -> h.path().equals("/v2/enqueue"), 2, Duration.ofSeconds(5));
        JsonNode trigger = AlertingSpec.JSON.readTree(hits.get(0).body());
        assertEquals(ROUTING_KEY, trigger.get("routing_key").asText());
        assertEquals("trigger", trigger.get("event_action").asText());
        assertEquals("root|alert:7", trigger.get("dedup_key").asText());
        assertEquals("error", trigger.get("payload").get("severity").asText());
        assertEquals("[HIGH] disk <full> on db-1 & co", trigger.get("payload").get("summary").asText());
        assertEquals("vigil-spec", trigger.get("payload").get("source").asText());
        JsonNode resolve = AlertingSpec.JSON.readTree(hits.get(1).body());
        assertEquals("resolve", resolve.get("event_action").asText());
        assertEquals("root|alert:7", resolve.get("dedup_key").asText());
    }

    @Test
    void theRoutingKeyAppearsNeitherInLogsNorInErrors() {
        try (LogCapture logs = new LogCapture()) {
            pagerduty.answer(400, "{\"status\":\"invalid event\",\"errors\":[\"routing_key " + ROUTING_KEY + " is unknown\"]}");
            Channel c = channel();
            DeliveryResult r = c.send(3, firing());
            org.slf4j.LoggerFactory.getLogger(PagerDutyChannelSpec.class).warn("channel {} failed: {}", c, r.error());

            assertEquals(DeliveryResult.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("routing_key *** is unknown"), r.error());
            assertFalse(logs.text().contains(ROUTING_KEY), logs.text());
        }
    }

    @Test
    void aServerErrorIsRetried() {
        pagerduty.answer(503, "maintenance");
        assertEquals(DeliveryResult.Outcome.RETRY, channel().send(4, firing()).outcome());
    }
}

package io.vigil.server.notify.telegram;

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

import static io.vigil.server.notify.ChannelFixture.HTTP;
import static io.vigil.server.notify.ChannelFixture.JSON;
import static io.vigil.server.notify.ChannelFixture.encrypted;
import static io.vigil.server.notify.ChannelFixture.firing;
import static io.vigil.server.notify.ChannelFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelegramChannelSpec {

    private static final String TOKEN = "7301234567:AAH-spec-bot-token-Zx9";

    private final Receiver telegram = Receiver.start();
    private final TelegramChannelType type = new TelegramChannelType(HTTP, JSON);

    @AfterAll
    void stop() {
        telegram.close();
    }

    private Channel channel() {
        return parse(type, "bot_token: " + encrypted(TOKEN) + "\nchat_id: \"-1001234567890\"\napi_url: "
                + telegram.uri("") + "\n");
    }

    @Test
    void sendsAnHtmlMessageToTheChatThroughTheBotApi() throws Exception {
        telegram.answer(200, "{\"ok\":true,\"result\":{\"message_id\":5}}");
        DeliveryResult r = channel().send(1, firing());

        assertEquals(DeliveryResult.Outcome.DELIVERED, r.outcome());
        Receiver.Hit hit = telegram.await(h -> h.path().endsWith("/sendMessage"), 1, Duration.ofSeconds(5)).get(0);
        assertEquals("/bot" + TOKEN + "/sendMessage", hit.path());
        JsonNode body = AlertingSpec.JSON.readTree(hit.body());
        assertEquals("-1001234567890", body.get("chat_id").asText());
        assertEquals("HTML", body.get("parse_mode").asText());
        assertTrue(body.get("text").asText().startsWith("<b>[HIGH] disk &lt;full&gt; on db-1 &amp; co</b>"),
                body.get("text").asText());
    }

    @Test
    void aRateLimitWaitsAsLongAsTelegramAsks() {
        telegram.answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\","
                + "\"parameters\":{\"retry_after\":7}}");
        DeliveryResult r = channel().send(2, firing());

        assertEquals(DeliveryResult.Outcome.RETRY, r.outcome());
        assertEquals(Duration.ofSeconds(7), r.retryAfter());
    }

    @Test
    void theBotTokenAppearsNeitherInLogsNorInErrors() {
        try (LogCapture logs = new LogCapture()) {
            telegram.answer(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized: bot" + TOKEN + "\"}");
            Channel c = channel();
            DeliveryResult r = c.send(3, firing());
            org.slf4j.LoggerFactory.getLogger(TelegramChannelSpec.class).warn("channel {} failed: {}", c, r.error());

            assertEquals(DeliveryResult.Outcome.FAILED, r.outcome());
            assertTrue(r.error().startsWith("HTTP 401 from http://127.0.0.1:"), r.error());
            assertTrue(r.error().contains("Unauthorized: bot***"), r.error());
            assertFalse(logs.text().contains(TOKEN), logs.text());
            assertFalse(logs.text().contains("AAH-spec-bot-token"), logs.text());
        }
    }
}

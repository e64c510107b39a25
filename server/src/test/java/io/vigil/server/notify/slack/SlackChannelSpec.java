package io.vigil.server.notify.slack;

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
import static io.vigil.server.notify.ChannelFixture.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackChannelSpec {

    private static final String HOOK_PATH = "/services/T0001/B0001/s3cr3tSlackHookToken";

    private final Receiver slack = Receiver.start();
    private final SlackChannelType type = new SlackChannelType(HTTP, JSON);

    @AfterAll
    void stop() {
        slack.close();
    }

    private Channel channel() {
        return parse(type, "url: " + encrypted(slack.uri(HOOK_PATH).toString()) + "\nusername: vigil\n");
    }

    @Test
    void postsTheNotificationAsSlackTextToTheIncomingWebhook() throws Exception {
        DeliveryResult r = channel().send(1, firing());

        assertEquals(DeliveryResult.Outcome.DELIVERED, r.outcome());
        Receiver.Hit hit = slack.await(h -> h.path().equals(HOOK_PATH), 1, Duration.ofSeconds(5)).get(0);
        JsonNode body = AlertingSpec.JSON.readTree(hit.body());
        assertEquals("vigil", body.get("username").asText());
        String text = body.get("text").asText();
        assertTrue(text.startsWith("*[HIGH] disk &lt;full&gt; on db-1 &amp; co*\n• [HIGH]"), text);
        assertTrue(text.contains("93% used on /var"), text);
    }

    @Test
    void theWebhookUrlAppearsNeitherInLogsNorInErrors() {
        try (LogCapture logs = new LogCapture()) {
            slack.answer(404, "no_service: " + HOOK_PATH);
            Channel c = channel();
            DeliveryResult r = c.send(2, firing());
            org.slf4j.LoggerFactory.getLogger(SlackChannelSpec.class).warn("channel {} failed: {}", c, r.error());

            assertEquals(DeliveryResult.Outcome.FAILED, r.outcome());
            assertEquals("HTTP 404 from http://127.0.0.1:" + slack.uri("/").getPort() + ": no_service: ***",
                    r.error());
            assertFalse(logs.text().contains("s3cr3tSlackHookToken"), logs.text());
            assertFalse(c.toString().contains("s3cr3t"));
        }
    }

    @Test
    void aPlainTextWebhookUrlIsRefusedWithoutQuotingIt() {
        List<String> problems = problems(type, "url: https://hooks.slack.com/services/T/B/plainSecretValue\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("routing.yml:1 url: a secret must not be written in plain text"), problems.get(0));
        assertFalse(problems.get(0).contains("plainSecretValue"));
    }
}

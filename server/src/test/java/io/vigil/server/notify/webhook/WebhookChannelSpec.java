package io.vigil.server.notify.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.LogCapture;
import io.vigil.server.notify.Receiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static io.vigil.server.notify.ChannelFixture.HTTP;
import static io.vigil.server.notify.ChannelFixture.JSON;
import static io.vigil.server.notify.ChannelFixture.encrypted;
import static io.vigil.server.notify.ChannelFixture.firing;
import static io.vigil.server.notify.ChannelFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookChannelSpec {

    private static final String SECRET = "whsec-channel-spec-8d2f41";

    private final Receiver receiver = Receiver.start();
    private final WebhookChannelType type = new WebhookChannelType(HTTP, JSON, Clock.systemUTC());

    @AfterAll
    void stop() {
        receiver.close();
    }

    private Channel channel() {
        return parse(type, "url: " + receiver.uri("/vigil") + "\nsecret: " + encrypted(SECRET) + "\n");
    }

    /** What docs/alerting.md tells receivers to do. */
    private static boolean verify(String secret, String timestamp, byte[] body, String signature) throws Exception {
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void postsTheNotificationAsJsonSignedWithHmacSha256() throws Exception {
        DeliveryResult r = channel().send(41, firing());

        assertEquals(DeliveryResult.Outcome.DELIVERED, r.outcome());
        Receiver.Hit hit = receiver.await(h -> h.path().equals("/vigil"), 1, Duration.ofSeconds(5)).get(0);
        assertTrue(verify(SECRET, hit.header("X-Vigil-Timestamp"), hit.body(), hit.header("X-Vigil-Signature")));
        assertFalse(verify("another secret", hit.header("X-Vigil-Timestamp"), hit.body(), hit.header("X-Vigil-Signature")));
        assertEquals("41", hit.header("X-Vigil-Delivery"));
        assertEquals("firing", hit.header("X-Vigil-Event"));
        JsonNode body = AlertingSpec.JSON.readTree(hit.body());
        assertEquals(1, body.get("version").asInt());
        assertEquals(41, body.get("notification_id").asLong());
        assertEquals("[HIGH] disk <full> on db-1 & co", body.get("title").asText());
        assertEquals("db-1", body.get("alerts").get(0).get("labels").get("host").asText());
    }

    @Test
    void theSecretAppearsNeitherInLogsNorInErrors() {
        try (LogCapture logs = new LogCapture()) {
            receiver.answer(500, "bad signature; the secret is " + SECRET);
            Channel c = channel();
            DeliveryResult r = c.send(42, firing());
            org.slf4j.LoggerFactory.getLogger(WebhookChannelSpec.class).warn("channel {} failed: {}", c, r.error());

            assertEquals(DeliveryResult.Outcome.RETRY, r.outcome());
            assertTrue(r.error().endsWith(": bad signature; the secret is ***"), r.error());
            assertFalse(logs.text().contains(SECRET), logs.text());
            assertFalse(c.toString().contains(SECRET));
        }
    }

    @Test
    void anUnreachableReceiverIsRetried() {
        Channel c = parse(type, "url: http://127.0.0.1:9/vigil\nsecret: " + encrypted(SECRET) + "\n");
        DeliveryResult r = c.send(43, firing());
        assertEquals(DeliveryResult.Outcome.RETRY, r.outcome());
        assertTrue(r.error().contains("sending to http://127.0.0.1:9"), r.error());
    }
}

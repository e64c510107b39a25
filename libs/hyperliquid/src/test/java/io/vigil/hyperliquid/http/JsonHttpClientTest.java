package io.vigil.hyperliquid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.hyperliquid.fixture.FixtureServer;
import io.vigil.hyperliquid.fixture.MutableClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonHttpClientTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void keepsTheMinimumIntervalBetweenTwoCallsToTheSameApi() throws Exception {
        try (FixtureServer server = FixtureServer.start(r -> "hyperliquid-metaAndAssetCtxs").use("client")) {
            JsonHttpClient http = new JsonHttpClient("test", server.url(""), JsonHttpClient.newHttpClient(Duration.ofSeconds(2)),
                    Duration.ofSeconds(2), Duration.ofMillis(300), clock);

            long start = System.nanoTime();
            http.get("/a", "a");
            http.get("/b", "b");
            http.get("/c", "c");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertTrue(elapsedMs >= 600, "three calls 300 ms apart took " + elapsedMs + " ms");
        }
    }

    @Test
    void decimalStringsAreExactAndNonNumbersAreRefusedWithTheirPath() throws Exception {
        JsonCursor doc = JsonHttpClient.parse("{\"a\":\"1.9e9\",\"b\":\"NaN\",\"c\":12.50,\"d\":true,\"e\":\"\"}"
                .getBytes(StandardCharsets.UTF_8), "test doc");

        assertEquals(new BigDecimal("1.9e9"), doc.field("a").decimal());
        assertEquals(new BigDecimal("12.50"), doc.field("c").decimal());
        assertEquals("test doc: $.b is \"NaN\", expected a decimal string",
                assertThrows(MalformedResponseException.class, () -> doc.field("b").decimal()).getMessage());
        assertEquals("test doc: $.d is true, expected a decimal string",
                assertThrows(MalformedResponseException.class, () -> doc.field("d").decimal()).getMessage());
        assertEquals("test doc: $.e is \"\", expected a decimal string",
                assertThrows(MalformedResponseException.class, () -> doc.field("e").decimal()).getMessage());
        assertEquals(Optional.empty(), doc.field("zz").optionalDecimal());
    }

    @Test
    void anEmptyBodyAndTrailingGarbageAreMalformed() {
        assertEquals("x: the response body is empty, expected JSON",
                assertThrows(MalformedResponseException.class, () -> JsonHttpClient.parse(new byte[0], "x")).getMessage());
        String trailing = assertThrows(MalformedResponseException.class,
                () -> JsonHttpClient.parse("{} {}".getBytes(StandardCharsets.UTF_8), "x")).getMessage();
        assertTrue(trailing.startsWith("x: the response is not valid JSON (Trailing token"), trailing);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Duration.ofSeconds(30), JsonHttpClient.retryAfter("30", now));
        assertEquals(Duration.ofSeconds(90), JsonHttpClient.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now));
        assertEquals(Duration.ZERO, JsonHttpClient.retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now));
        assertEquals(null, JsonHttpClient.retryAfter("soon", now));
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRefusedWithTheApiName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonHttpClient.baseUri("kraken", "api.kraken.com"));
        assertEquals("kraken URL must be an absolute http(s) URL such as https://api.example.com, got \"api.kraken.com\"",
                e.getMessage());
        assertEquals("https://api.kraken.com", JsonHttpClient.baseUri("kraken", "https://api.kraken.com/").toString());
    }

    @Test
    void getBytesReturnsTheBodyUnparsedForFeedsThatAreNotOneJsonDocument() throws Exception {
        try (FixtureServer server = FixtureServer.start(r -> "hyperliquid-recentTrades-ETH").use("client")) {
            JsonHttpClient http = new JsonHttpClient("feed", server.url("/feed"), JsonHttpClient.newHttpClient(Duration.ofSeconds(2)),
                    Duration.ofSeconds(2), Duration.ZERO, clock);

            String body = new String(http.getBytes("?since=5"), StandardCharsets.UTF_8);

            assertTrue(body.startsWith("[{\"coin\":\"ETH\""), body);
            assertEquals("/feed", server.requests().get(0).path());
            assertEquals("since=5", server.requests().get(0).query());
        }
    }

    @Test
    void getBytesReportsHttpErrorsLikeEveryOtherCall() throws Exception {
        try (FixtureServer server = FixtureServer.start(r -> "hyperliquid-metaAndAssetCtxs").use("server-error")) {
            JsonHttpClient http = new JsonHttpClient("feed", server.url("/feed"), JsonHttpClient.newHttpClient(Duration.ofSeconds(2)),
                    Duration.ofSeconds(2), Duration.ZERO, clock);

            ApiException e = assertThrows(ApiException.class, () -> http.getBytes(""));
            assertEquals(ApiException.Reason.SERVER_ERROR, e.reason());
        }
    }
}

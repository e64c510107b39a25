package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.LiquidationMonitorTest.f;
import static io.vigil.plugin.liquidation.LiquidationMonitorTest.metric;
import static io.vigil.plugin.liquidation.LiquidationMonitorTest.patterns;
import static io.vigil.plugin.liquidation.LiquidationMonitorTest.pollAt;
import static io.vigil.plugin.liquidation.LiquidationMonitorTest.score;
import static io.vigil.plugin.liquidation.LiquidationMonitorTest.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.Event;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.fixture.FixtureServer;
import io.vigil.testkit.TestMonitorContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic feed: another venue's liquidations as NDJSON or a JSON array over HTTP. */
class FeedSourceTest {

    private final LiquidationMonitorFactory factory = new LiquidationMonitorFactory();
    private FixtureServer server;

    @BeforeEach
    void start() throws Exception {
        server = FixtureServer.start(r -> "feed");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestMonitorContext context() {
        return TestMonitorContext.forFactory(factory, Map.of("source", "feed",
                "feed_url", server.url("/venue/liquidations?market=perp"), "request_timeout", "2s"));
    }

    @Test
    void anNdjsonFeedOfTenShortsLiquidatedInTwoMinutesIsAHighCascade() throws Exception {
        server.use("feed-ndjson");
        TestMonitorContext ctx = context();
        pollAt((PolledMonitor) factory.create(ctx), ctx, "01:00");

        double expected = score(f(10, 3, 30, 0.5), f(3_104_720.0 / 100_000, 3, 30, 0.5), f(3.6, 1, 10, 0.3));
        assertEquals(60.25, expected);
        Event e = patterns(ctx).get(0);
        assertEquals(1, patterns(ctx).size());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals("BTC-PERP", e.subject());
        assertEquals("cascade", e.attributes().get("pattern"));
        assertEquals(expected, e.attributes().get("score"));
        assertEquals("short", e.attributes().get("side"));
        assertEquals("feed", e.attributes().get("source"));
        assertEquals("venue-9000", ((List<?>) e.attributes().get("evidence_ids")).get(0));
        assertEquals(10, metric(ctx, "liquidation.count", "asset", "BTC-PERP"));
        assertEquals(3_104_720.0, metric(ctx, "liquidation.notional", "asset", "BTC-PERP"), 1e-6);
    }

    @Test
    void aBadLineAndABadRecordAreSkippedAndTheRestKept() throws Exception {
        server.use("feed-ndjson");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = (PolledMonitor) factory.create(ctx);
        pollAt(monitor, ctx, "01:00");

        assertEquals(2, metric(ctx, "liquidation.records_skipped"));
        Event malformed = ctx.events().stream().filter(e -> e.type().equals("liquidation.records.malformed"))
                .findFirst().orElseThrow();
        assertEquals(List.of("feed line 5: $.side is \"sideways\", expected \"long\" or \"short\" (the side of the liquidated position)",
                "feed line 8: the response is not valid JSON (Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false') at line 1 column 5)"),
                malformed.attributes().get("errors"));

        pollAt(monitor, ctx, "01:03");
        assertEquals(List.of(), types(ctx));
        assertEquals(0, metric(ctx, "liquidation.records_skipped"));
    }

    @Test
    void theFeedIsAskedForRecordsSinceTheCursorKeepingItsOwnQuery() throws Exception {
        server.use("feed-ndjson");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = (PolledMonitor) factory.create(ctx);
        pollAt(monitor, ctx, "01:00");
        pollAt(monitor, ctx, "01:03");

        assertEquals("/venue/liquidations", server.requests().get(0).path());
        assertEquals("market=perp&since=" + Instant.parse("2026-01-01T00:30:00Z").toEpochMilli(),
                server.requests().get(0).query());
        assertEquals("market=perp&since=" + Instant.parse("2026-01-01T00:52:15Z").toEpochMilli(),
                server.requests().get(1).query());
        assertEquals(0, metric(ctx, "liquidation.count", "asset", "BTC-PERP")); // the feed ignored since: nothing counted twice
    }

    @Test
    void aJsonArrayFeedWithNumericIdsAndNoNotionalWorksToo() throws Exception {
        server.use("feed-array");
        TestMonitorContext ctx = context();
        pollAt((PolledMonitor) factory.create(ctx), ctx, "01:00");

        assertEquals(List.of(), ctx.events());
        assertEquals(2, metric(ctx, "liquidation.count", "asset", "ETH-PERP"));
        assertEquals(2 * 3600.5 + 5415.0, metric(ctx, "liquidation.notional", "asset", "ETH-PERP"), 1e-9);
        assertEquals(1, metric(ctx, "liquidation.source_up", "stream", "feed"));
    }
}

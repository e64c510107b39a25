package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.Candle;
import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.JsonHttpClient;
import io.vigil.hyperliquid.http.MalformedResponseException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Liquidations from any venue through a generic HTTP feed: {@code GET feed_url?since=<epoch ms>}
 * answering a JSON array of records, or NDJSON (one record per line). A record is
 * {@code {"time", "asset", "account", "side", "size", "price", "notional", "id"}} (see the README);
 * one that is not in that format is skipped, the others are kept. The feed may ignore
 * {@code since}: records already counted are recognised by the cursor.
 *
 * <p>The feed carries no price series and no account fills: prices for the manipulation pattern
 * are built from the records' own prices, and the flash-loan-like check is not available.
 */
final class FeedSource implements LiquidationSource {

    private final JsonHttpClient http;

    FeedSource(JsonHttpClient http) {
        this.http = http;
    }

    @Override
    public String name() {
        return LiquidationSettings.FEED;
    }

    @Override
    public List<String> streams() {
        return List.of(LiquidationSettings.FEED);
    }

    @Override
    public StreamRead read(String stream, Instant from) throws ApiException, InterruptedException {
        String separator = http.baseUrl().getRawQuery() == null ? "?" : "&";
        byte[] body = http.getBytes(separator + "since=" + from.toEpochMilli());
        List<Liquidation> liquidations = new ArrayList<>();
        List<StreamRead.Skipped> skipped = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("[")) {
            JsonCursor root = JsonHttpClient.parse(body, "feed");
            for (JsonCursor record : root.elements()) {
                read(record, from, liquidations, skipped);
            }
        } else {
            String[] lines = text.split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                JsonCursor record;
                try {
                    record = JsonHttpClient.parse(line.getBytes(StandardCharsets.UTF_8), "feed line " + (i + 1));
                } catch (MalformedResponseException e) {
                    skipped.add(new StreamRead.Skipped(Optional.empty(), line, e.getMessage()));
                    continue;
                }
                read(record, from, liquidations, skipped);
            }
        }
        return new StreamRead(liquidations, List.of(), skipped, false);
    }

    private static void read(JsonCursor record, Instant from, List<Liquidation> out, List<StreamRead.Skipped> skipped) {
        Optional<Instant> time = Optional.empty();
        try {
            time = Optional.of(time(record.field("time")));
            Liquidation l = record(record, time.get());
            if (!l.time().isBefore(from)) {
                out.add(l);
            }
        } catch (MalformedResponseException e) {
            if (time.isEmpty() || !time.get().isBefore(from)) {
                skipped.add(new StreamRead.Skipped(time, record.node().toString(), e.getMessage()));
            }
        }
    }

    private static Liquidation record(JsonCursor r, Instant time) throws MalformedResponseException {
        if (!r.isObject()) {
            throw r.problem("is not an object, expected a liquidation record");
        }
        String asset = r.field("asset").text().strip();
        if (asset.isEmpty()) {
            throw r.field("asset").problem("is empty, expected the market's name");
        }
        String sideText = r.field("side").text().strip().toLowerCase(Locale.ROOT);
        Liquidation.Side side = switch (sideText) {
            case "long" -> Liquidation.Side.LONG;
            case "short" -> Liquidation.Side.SHORT;
            default -> throw r.field("side").problem("is \"" + sideText + "\", expected \"long\" or \"short\" "
                    + "(the side of the liquidated position)");
        };
        BigDecimal size = positive(r.field("size"));
        BigDecimal price = positive(r.field("price"));
        BigDecimal notional = r.field("notional").optionalDecimal().orElse(size.multiply(price));
        if (notional.signum() < 0) {
            throw r.field("notional").problem("is " + notional.toPlainString() + ", expected 0 or more");
        }
        JsonCursor id = r.field("id");
        String idText = id.node().isIntegralNumber() ? Long.toString(id.integer()) : id.text();
        if (idText.isBlank()) {
            throw id.problem("is empty, expected the record's unique id");
        }
        return new Liquidation(idText, time, asset, r.field("account").optionalText().orElse("").strip(), side, size,
                price, notional, r.field("mark_price").optionalDecimal(), r.field("method").optionalText().orElse(""),
                LiquidationSettings.FEED);
    }

    private static Instant time(JsonCursor t) throws MalformedResponseException {
        if (t.node().isTextual()) {
            try {
                return Instant.parse(t.text());
            } catch (DateTimeParseException e) {
                throw t.problem("is \"" + t.text() + "\", expected epoch milliseconds or an ISO-8601 time such as "
                        + "2026-01-01T00:00:00Z");
            }
        }
        return t.epochMillis();
    }

    private static BigDecimal positive(JsonCursor c) throws MalformedResponseException {
        BigDecimal value = c.decimal();
        if (value.signum() <= 0) {
            throw c.problem("is " + value.toPlainString() + ", expected more than 0");
        }
        return value;
    }

    /** One-minute candles built from the records' prices: the feed has no price series of its own. */
    @Override
    public List<Candle> candles(String asset, Instant from, Instant to, List<Liquidation> window) {
        TreeMap<Long, List<Liquidation>> byMinute = new TreeMap<>();
        window.stream().filter(l -> l.asset().equals(asset) && !l.time().isBefore(from) && !l.time().isAfter(to))
                .sorted(java.util.Comparator.comparing(Liquidation::time))
                .forEach(l -> byMinute.computeIfAbsent(l.time().toEpochMilli() / 60_000, m -> new ArrayList<>()).add(l));
        List<Candle> out = new ArrayList<>();
        for (Map.Entry<Long, List<Liquidation>> e : byMinute.entrySet()) {
            List<Liquidation> ls = e.getValue();
            BigDecimal high = ls.stream().map(Liquidation::price).max(BigDecimal::compareTo).orElseThrow();
            BigDecimal low = ls.stream().map(Liquidation::price).min(BigDecimal::compareTo).orElseThrow();
            Instant open = Instant.ofEpochMilli(e.getKey() * 60_000);
            out.add(new Candle(open, open.plusMillis(59_999), ls.get(0).price(), high, low, ls.get(ls.size() - 1).price()));
        }
        return out;
    }

    @Override
    public String priceSource() {
        return "feed prices";
    }

    @Override
    public boolean readsAccounts() {
        return false;
    }

    @Override
    public List<AccountTrade> accountFills(String account, Instant from, Instant to) {
        return List.of();
    }
}

package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.state.PollState;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.HyperliquidClient;
import io.vigil.hyperliquid.PerpAssetContext;
import io.vigil.hyperliquid.PerpMarkets;
import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.MalformedResponseException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One poll: Hyperliquid's oracle and mark prices from {@code metaAndAssetCtxs}, one reference
 * price per asset and source, then per asset a verdict from the median of the usable references.
 *
 * <p>A reference is usable when it answered, is not stale (not served from a cache older than
 * {@code max_source_age}, not frozen while the others moved) and is within
 * {@code max_source_spread_pct} of the median of the fresh references; with fewer than
 * {@code min_sources} usable references there is no verdict. State kept between polls (in the
 * state store, so a restart neither repeats nor forgets an alert): the open deviation level per
 * asset, which assets lack a verdict, which sources are degraded, and the frozen-price records.
 */
final class OracleDeviationMonitor implements PolledMonitor {

    static final String HYPERLIQUID = "hyperliquid";

    private final MonitorContext context;
    private final OracleSettings settings;
    private final HyperliquidClient hyperliquid;
    private final List<ReferenceSource> sources;
    private final FrozenPrices frozen;

    OracleDeviationMonitor(MonitorContext context, OracleSettings settings, HyperliquidClient hyperliquid,
                           List<ReferenceSource> sources) {
        this.context = context;
        this.settings = settings;
        this.hyperliquid = hyperliquid;
        this.sources = sources;
        this.frozen = new FrozenPrices(settings.frozenAfter());
    }

    /** What one poll found, shared by the steps that turn it into metrics and events. */
    private final class Poll {
        final Instant now = context.clock().instant();
        final PollState state = new PollState(context.state());
        /** source → asset → problem, for the source events at the end. */
        final Map<String, Map<String, SourceProblem>> problems = new LinkedHashMap<>();

        void problem(String source, String asset, SourceProblem p) {
            problems.computeIfAbsent(source, s -> new TreeMap<>()).put(asset, p);
        }

        void metric(String name, double value, String unit, Map<String, String> labels) {
            context.emitter().emit(new MetricSample(name, value, unit, labels, now));
        }

        void event(Event.Builder builder) {
            context.emitter().emit(builder.time(now).build());
        }
    }

    @Override
    public void poll() throws InterruptedException {
        Poll poll = new Poll();
        PerpMarkets markets = null;
        ApiException hyperliquidError = null;
        try {
            markets = hyperliquid.metaAndAssetCtxs();
        } catch (ApiException e) {
            hyperliquidError = e;
            context.logger().debug("{}", e.getMessage());
        }
        Map<String, Map<String, Object>> answers = fetchReferences();
        for (String asset : settings.assets()) {
            PerpAssetContext market = market(poll, asset, markets, hyperliquidError);
            evaluate(poll, asset, market, answers);
        }
        reportSources(poll);
        poll.state.commit();
    }

    /** source → asset → {@link Quote} or {@link ApiException}; assets skipped at a source are absent. */
    private Map<String, Map<String, Object>> fetchReferences() throws InterruptedException {
        Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
        Map<String, ApiException> givenUp = new LinkedHashMap<>();
        for (ReferenceSource source : sources) {
            answers.put(source.name(), new LinkedHashMap<>());
        }
        // Asset-major order spreads the calls to one source over the poll, which keeps the
        // min_call_interval waits short.
        for (String asset : settings.assets()) {
            for (ReferenceSource source : sources) {
                Optional<String> symbol = settings.symbol(source, asset);
                if (symbol.isEmpty()) {
                    continue;
                }
                ApiException earlier = givenUp.get(source.name());
                if (earlier != null) {
                    // a source that timed out, is down or rate-limits is not asked again this poll
                    answers.get(source.name()).put(asset, earlier);
                    continue;
                }
                try {
                    answers.get(source.name()).put(asset, source.quote(asset, symbol.get()));
                } catch (ApiException e) {
                    answers.get(source.name()).put(asset, e);
                    if (e.reason().retryable()) {
                        givenUp.put(source.name(), e);
                    }
                    context.logger().debug("{}", e.getMessage());
                }
            }
        }
        return answers;
    }

    private PerpAssetContext market(Poll poll, String asset, PerpMarkets markets, ApiException error) {
        if (error != null) {
            poll.problem(HYPERLIQUID, asset, SourceProblem.failed(error));
            return null;
        }
        try {
            Optional<PerpAssetContext> ctx = markets.asset(asset);
            if (ctx.isEmpty()) {
                poll.problem(HYPERLIQUID, asset, SourceProblem.failed("unknown_asset", "hyperliquid lists no perpetual "
                        + "named " + asset + " in metaAndAssetCtxs; check the assets option (names are case-sensitive)"));
                return null;
            }
            if (ctx.get().oraclePx().signum() <= 0 || ctx.get().markPx().signum() <= 0) {
                poll.problem(HYPERLIQUID, asset, SourceProblem.failed(ApiException.Reason.MALFORMED.wireName(),
                        "hyperliquid metaAndAssetCtxs: " + asset + " has oraclePx " + ctx.get().oraclePx().toPlainString()
                                + " and markPx " + ctx.get().markPx().toPlainString() + ", expected positive prices"));
                return null;
            }
            return ctx.get();
        } catch (MalformedResponseException e) {
            poll.problem(HYPERLIQUID, asset, SourceProblem.failed(e));
            return null;
        }
    }

    private void evaluate(Poll poll, String asset, PerpAssetContext market, Map<String, Map<String, Object>> answers) {
        Map<String, String> assetLabel = Map.of("asset", asset);
        Map<String, Quote> answered = new LinkedHashMap<>();
        for (ReferenceSource source : sources) {
            Object answer = answers.get(source.name()).get(asset);
            if (answer instanceof Quote q) {
                answered.put(source.name(), q);
            } else if (answer instanceof ApiException e) {
                poll.problem(source.name(), asset, SourceProblem.failed(e));
            }
        }
        for (Quote q : answered.values()) {
            Map<String, String> labels = Map.of("asset", asset, "source", q.source());
            poll.metric("oracle.source_price", q.price().doubleValue(), "usd", labels);
            if (market != null) {
                poll.metric("oracle.source_deviation_pct", Math.abs(Prices.pct(market.oraclePx(), q.price())), "percent",
                        labels);
            }
        }

        Map<String, Quote> candidates = new LinkedHashMap<>();
        for (Quote q : answered.values()) {
            Optional<Duration> age = q.cacheAge();
            if (age.isPresent() && age.get().compareTo(settings.maxSourceAge()) > 0) {
                poll.problem(q.source(), asset, SourceProblem.stale("cached", q.source() + " " + asset
                        + " answer was served from a cache " + age.get().toSeconds() + " s old (Age header), more than "
                        + "max_source_age " + settings.maxSourceAge().toSeconds() + " s"));
            } else {
                candidates.put(q.source(), q);
            }
        }
        Map<String, Quote> fresh = new LinkedHashMap<>();
        for (Quote q : candidates.values()) {
            List<BigDecimal> others = new ArrayList<>();
            candidates.values().stream().filter(o -> o != q).forEach(o -> others.add(o.price()));
            Optional<String> stale = frozen.observe(poll.state, q.source(), asset, q.price(), Prices.median(others), poll.now);
            if (stale.isPresent()) {
                poll.problem(q.source(), asset, SourceProblem.stale("frozen", stale.get()));
            } else {
                fresh.put(q.source(), q);
            }
        }
        BigDecimal freshMedian = Prices.median(fresh.values().stream().map(Quote::price).toList());
        Map<String, Quote> used = new LinkedHashMap<>();
        for (Quote q : fresh.values()) {
            double off = Math.abs(Prices.pct(q.price(), freshMedian));
            if (off > settings.maxSourceSpreadPct()) {
                poll.problem(q.source(), asset, SourceProblem.outlier(q.source() + " " + asset + " "
                        + q.price().toPlainString() + " is " + Prices.round4(off) + " % from the median of the fresh "
                        + "sources " + freshMedian.toPlainString() + ", more than max_source_spread_pct "
                        + settings.maxSourceSpreadPct()));
            } else {
                used.put(q.source(), q);
            }
        }
        poll.metric("oracle.sources_answered", used.size(), "count", assetLabel);
        BigDecimal reference = used.size() >= settings.minSources()
                ? Prices.median(used.values().stream().map(Quote::price).toList()) : null;
        reportVerdictAvailability(poll, asset, used);

        if (market != null) {
            poll.metric("oracle.oracle_price", market.oraclePx().doubleValue(), "usd", assetLabel);
            poll.metric("oracle.mark_price", market.markPx().doubleValue(), "usd", assetLabel);
            poll.metric("oracle.mark_oracle_spread_pct", Prices.pct(market.markPx(), market.oraclePx()), "percent",
                    assetLabel);
        }
        if (reference != null) {
            poll.metric("oracle.reference_price", reference.doubleValue(), "usd", assetLabel);
        }
        if (market == null || reference == null) {
            return; // no verdict: an open deviation stays open rather than being resolved without evidence
        }
        double signed = Prices.pct(market.oraclePx(), reference);
        double deviation = Math.abs(signed);
        poll.metric("oracle.deviation_pct", deviation, "percent", assetLabel);
        Optional<String> oracleFrozen = frozen.observe(poll.state, HYPERLIQUID, asset, market.oraclePx(), reference, poll.now);
        oracleFrozen.ifPresent(detail -> poll.problem(HYPERLIQUID, asset, SourceProblem.stale("frozen",
                detail.replaceFirst("^hyperliquid ", "hyperliquid oracle "))));
        updateLevel(poll, asset, market, reference, signed, used);
    }

    private void reportVerdictAvailability(Poll poll, String asset, Map<String, Quote> used) {
        String key = "reference." + asset;
        Optional<Map<String, Object>> missing = poll.state.get(key);
        boolean enough = used.size() >= settings.minSources();
        if (!enough && missing.isEmpty()) {
            Map<String, Object> excluded = new TreeMap<>();
            poll.problems.forEach((source, byAsset) -> {
                SourceProblem p = byAsset.get(asset);
                if (p != null && !source.equals(HYPERLIQUID)) {
                    excluded.put(source, p.problem() + ": " + p.reason());
                }
            });
            poll.event(Event.builder("oracle.reference.insufficient")
                    .severity(Severity.MEDIUM)
                    .subject(asset)
                    .title(asset + ": " + used.size() + " usable reference price" + (used.size() == 1 ? "" : "s")
                            + ", fewer than min_sources " + settings.minSources() + "; no deviation verdict")
                    .attribute("asset", asset)
                    .attribute("sources_answered", used.size())
                    .attribute("min_sources", settings.minSources())
                    .attribute("used", List.copyOf(used.keySet()))
                    .attribute("excluded", excluded)
                    .fingerprint("oracle:reference:" + asset));
            poll.state.put(key, Map.of("since", poll.now.toString()));
        } else if (enough && missing.isPresent()) {
            Instant since = Instant.parse((String) missing.get().get("since"));
            poll.event(Event.builder("oracle.reference.restored")
                    .severity(Severity.INFO)
                    .subject(asset)
                    .title(asset + ": " + used.size() + " usable reference prices again; verdicts resume")
                    .attribute("asset", asset)
                    .attribute("sources_answered", used.size())
                    .attribute("min_sources", settings.minSources())
                    .attribute("used", List.copyOf(used.keySet()))
                    .attribute("missing_for_seconds", Duration.between(since, poll.now).toSeconds())
                    .fingerprint("oracle:reference:" + asset));
            poll.state.remove(key);
        }
    }

    private void updateLevel(Poll poll, String asset, PerpAssetContext market, BigDecimal reference, double signed,
                             Map<String, Quote> used) {
        String key = "deviation." + asset;
        Optional<Map<String, Object>> open = poll.state.get(key);
        DeviationLevel current = open.map(o -> DeviationLevel.parse((String) o.get("level"))).orElse(DeviationLevel.NORMAL);
        double deviation = Math.abs(signed);
        Thresholds thresholds = settings.thresholds(asset);
        DeviationLevel next = thresholds.next(current, deviation, settings.hysteresisPct());
        Instant since = open.map(o -> Instant.parse((String) o.get("since"))).orElse(poll.now);
        double storedPeak = open.map(o -> ((Number) o.get("peak_pct")).doubleValue()).orElse(0.0);
        double peak = Math.max(deviation, storedPeak);
        if (next == current) {
            if (current != DeviationLevel.NORMAL && deviation > storedPeak) {
                poll.state.put(key, Map.of("level", current.wireName(), "since", since.toString(), "peak_pct", peak));
            }
            return;
        }
        Map<String, Object> sourcesUsed = new LinkedHashMap<>();
        used.values().forEach(q -> sourcesUsed.put(q.source(), q.price()));
        String direction = signed >= 0 ? "above" : "below";
        if (next == DeviationLevel.NORMAL) {
            poll.event(Event.builder("oracle.deviation.resolved")
                    .severity(Severity.INFO)
                    .subject(asset)
                    .title(asset + " oracle " + market.oraclePx().toPlainString() + " is back within "
                            + thresholds.mediumPct() + " % of the reference " + reference.toPlainString() + " ("
                            + Prices.round4(deviation) + " %)")
                    .attribute("asset", asset)
                    .attribute("deviation_pct", Prices.round4(deviation))
                    .attribute("direction", direction)
                    .attribute("oracle_price", market.oraclePx())
                    .attribute("reference_price", reference)
                    .attribute("previous_level", current.wireName())
                    .attribute("peak_deviation_pct", Prices.round4(peak))
                    .attribute("since", since.toString())
                    .attribute("duration_seconds", Duration.between(since, poll.now).toSeconds())
                    .fingerprint("oracle:deviation:" + asset));
            poll.state.remove(key);
            return;
        }
        poll.event(Event.builder("oracle.deviation")
                .severity(next.severity())
                .subject(asset)
                .title(asset + " oracle " + market.oraclePx().toPlainString() + " is " + Prices.round4(deviation) + " % "
                        + direction + " the reference " + reference.toPlainString() + " (median of " + used.size()
                        + " sources): " + next.wireName())
                .attribute("asset", asset)
                .attribute("level", next.wireName())
                .attribute("previous_level", current.wireName())
                .attribute("deviation_pct", Prices.round4(deviation))
                .attribute("direction", direction)
                .attribute("oracle_price", market.oraclePx())
                .attribute("mark_price", market.markPx())
                .attribute("reference_price", reference)
                .attribute("mark_oracle_spread_pct", Prices.round4(Prices.pct(market.markPx(), market.oraclePx())))
                .attribute("sources", sourcesUsed)
                .attribute("medium_pct", thresholds.mediumPct())
                .attribute("critical_pct", thresholds.criticalPct())
                .attribute("since", since.toString())
                .fingerprint("oracle:deviation:" + asset));
        poll.state.put(key, Map.of("level", next.wireName(), "since", since.toString(), "peak_pct", peak));
    }

    private void reportSources(Poll poll) {
        List<String> names = new ArrayList<>();
        names.add(HYPERLIQUID);
        sources.forEach(s -> names.add(s.name()));
        for (String source : names) {
            Map<String, SourceProblem> problems = poll.problems.getOrDefault(source, Map.of());
            boolean failed = problems.values().stream().anyMatch(p -> p.problem().equals(SourceProblem.FAILED));
            poll.metric("oracle.source_up", failed ? 0 : 1, "", Map.of("source", source));
            String key = "source." + source;
            Optional<Map<String, Object>> degraded = poll.state.get(key);
            if (!problems.isEmpty() && degraded.isEmpty()) {
                SourceProblem first = problems.values().stream().min(Comparator.comparingInt(SourceProblem::rank))
                        .orElseThrow();
                List<String> assets = problems.entrySet().stream().filter(e -> e.getValue().problem().equals(first.problem()))
                        .map(Map.Entry::getKey).toList();
                Map<String, Object> details = new TreeMap<>();
                problems.forEach((asset, p) -> details.put(asset, p.problem() + " (" + p.reason() + "): " + p.detail()));
                Event.Builder event = Event.builder("oracle.source.degraded")
                        .severity(source.equals(HYPERLIQUID) ? Severity.HIGH : Severity.MEDIUM)
                        .subject(source)
                        .title(degradedTitle(source, first, assets))
                        .attribute("source", source)
                        .attribute("problem", first.problem())
                        .attribute("reason", first.reason())
                        .attribute("error", first.detail())
                        .attribute("assets", assets)
                        .attribute("details", details)
                        .fingerprint("oracle:source:" + source);
                if (first.retryAfter() != null) {
                    event.attribute("retry_after_seconds", first.retryAfter().toSeconds());
                }
                poll.event(event);
                context.logger().warn("{}", first.detail());
                poll.state.put(key, Map.of("since", poll.now.toString(), "problem", first.problem(),
                        "reason", first.reason()));
            } else if (problems.isEmpty() && degraded.isPresent()) {
                Instant since = Instant.parse((String) degraded.get().get("since"));
                long seconds = Duration.between(since, poll.now).toSeconds();
                poll.event(Event.builder("oracle.source.recovered")
                        .severity(Severity.INFO)
                        .subject(source)
                        .title(source + " usable again after " + seconds + " s (was " + degraded.get().get("problem")
                                + ": " + degraded.get().get("reason") + ")")
                        .attribute("source", source)
                        .attribute("problem", degraded.get().get("problem"))
                        .attribute("reason", degraded.get().get("reason"))
                        .attribute("since", since.toString())
                        .attribute("degraded_for_seconds", seconds)
                        .fingerprint("oracle:source:" + source));
                context.logger().info("{} usable again", source);
                poll.state.remove(key);
            }
        }
    }

    private static String degradedTitle(String source, SourceProblem first, List<String> assets) {
        String which = String.join(", ", assets);
        if (source.equals(HYPERLIQUID)) {
            return first.problem().equals(SourceProblem.FAILED)
                    ? "hyperliquid oracle prices unavailable for " + which + " (" + first.reason() + "); no verdict"
                    : "hyperliquid oracle price " + first.reason() + " for " + which + " while the references moved";
        }
        return source + " excluded from the reference for " + which + " (" + first.problem() + ": " + first.reason() + ")";
    }
}

package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.state.PollState;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.Candle;
import io.vigil.hyperliquid.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One run: read each stream from its cursor (after a restart, from the start of the window), count
 * what is new into the metrics and the baselines, then look for the five patterns in the window
 * and report each occurrence once.
 *
 * <p>State (per monitor name, all small): a cursor per stream ({@code cursor.<stream>}), the
 * baselines per asset ({@code baseline.<asset>}), when the baselines started ({@code since}), the
 * occurrences seen recently ({@code patterns}), outage markers ({@code unavailable.<stream>},
 * {@code malformed}) and the malformed records without a time already counted ({@code skipped}). The window itself is not stored: it is read again from the source.
 */
final class LiquidationMonitor implements PolledMonitor {

    /** Malformed records without a readable time remembered (in the state store) so as to count them once. */
    private static final int MAX_REMEMBERED_SKIPS = 200;

    private final MonitorContext context;
    private final LiquidationSettings settings;
    private final LiquidationSource source;
    private final LiquidationWindow window = new LiquidationWindow();
    private final Set<String> loaded = new HashSet<>();
    private final Map<String, List<AccountTrade>> lookups = new HashMap<>();

    LiquidationMonitor(MonitorContext context, LiquidationSettings settings, LiquidationSource source) {
        this.context = context;
        this.settings = settings;
        this.source = source;
    }

    /** What one run found, shared by the steps that turn it into metrics and events. */
    private final class Run {
        final Instant now = context.clock().instant();
        final Instant windowStart = now.minus(settings.window());
        final PollState state = new PollState(context.state());
        final Baselines baselines = new Baselines(state, settings.baselinePeriod());
        final Map<String, double[]> counted = new TreeMap<>();
        final Set<String> countedIds = new HashSet<>();
        final List<StreamRead.Skipped> skipped = new ArrayList<>();
        boolean allRead = true;

        /** Whether a malformed record without a time is seen for the first time; remembers it. */
        boolean rememberSkip(String key) {
            String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
            List<Object> seen = new ArrayList<>();
            state.get("skipped").map(m -> m.get("keys")).filter(List.class::isInstance)
                    .ifPresent(keys -> seen.addAll((List<?>) keys));
            if (seen.contains(id)) {
                return false;
            }
            seen.add(id);
            while (seen.size() > MAX_REMEMBERED_SKIPS) {
                seen.remove(0);
            }
            state.put("skipped", Map.of("keys", seen));
            return true;
        }

        void metric(String name, double value, String unit, Map<String, String> labels) {
            context.emitter().emit(new MetricSample(name, value, unit, labels, now));
        }
    }

    @Override
    public void poll() throws InterruptedException {
        Run run = new Run();
        run.baselines.loadAll();
        Instant since = run.state.get("since").map(m -> m.get("time")).filter(Number.class::isInstance)
                .map(t -> Instant.ofEpochMilli(((Number) t).longValue())).orElse(run.windowStart);
        run.state.put("since", Map.of("time", since.toEpochMilli()));
        for (String stream : source.streams()) {
            readStream(run, stream, since);
        }
        window.forgetBefore(run.windowStart);

        Analysis analysis = new Analysis(settings, run.now, window.liquidations(), window.trades(), run.baselines);
        emitVolumeMetrics(run, analysis);
        List<PatternInstance> instances = detect(run, analysis);
        PatternLog log = new PatternLog(run.state, settings.cascadeWindow());
        double maxScore = 0;
        for (PatternInstance i : instances) {
            double score = i.score().score();
            maxScore = Math.max(maxScore, score);
            Level level = settings.level(score);
            PatternLog.Decision decision = log.record(i, level);
            if (decision.report()) {
                report(run, i, level, decision);
            }
        }
        run.metric("liquidation.max_score", Numbers.round(maxScore, 2), "score", Map.of());
        reportSkipped(run);
        run.baselines.save(run.now);
        log.save(run.windowStart.minus(settings.window()));
        run.state.commit();
    }

    private void readStream(Run run, String stream, Instant since) throws InterruptedException {
        String cursorKey = "cursor." + stream;
        Optional<Cursor> cursor = Cursor.from(run.state.get(cursorKey));
        Instant from = cursor.map(Cursor::time).orElse(run.windowStart);
        if (!loaded.contains(stream) && from.isAfter(run.windowStart)) {
            from = run.windowStart; // after a restart: read the window again; the cursor says what was counted
        }
        StreamRead read;
        try {
            read = source.read(stream, from);
        } catch (ApiException e) {
            run.allRead = false;
            run.metric("liquidation.source_up", 0, "", Map.of("stream", stream));
            unavailable(run, stream, e);
            return;
        }
        run.metric("liquidation.source_up", 1, "", Map.of("stream", stream));
        restored(run, stream);
        loaded.add(stream);
        Cursor next = cursor.orElse(null);
        List<Liquidation> liquidations = new ArrayList<>(read.liquidations());
        liquidations.sort(Analysis.ORDER);
        for (Liquidation l : liquidations) {
            if (l.time().isAfter(run.now)) {
                continue; // ahead of this agent's clock: read again, and counted, by a later run
            }
            boolean seen = cursor.isPresent() && cursor.get().covers(l.time(), l.id()) || window.contains(l.id())
                    || !run.countedIds.add(l.id());
            if (!seen) {
                double[] c = run.counted.computeIfAbsent(l.asset(), a -> new double[2]);
                c[0]++;
                c[1] += l.usd();
                run.baselines.add(l, since);
            }
            if (!l.time().isBefore(run.windowStart)) {
                window.add(l);
            }
            next = advance(next, l.time(), l.id());
        }
        for (AccountTrade t : read.trades()) {
            if (t.time().isAfter(run.now)) {
                continue;
            }
            if (!t.time().isBefore(run.windowStart)) {
                window.add(t);
            }
            next = advance(next, t.time(), t.id());
        }
        for (StreamRead.Skipped s : read.skipped()) {
            if (s.time().isPresent() && s.time().get().isAfter(run.now)) {
                continue;
            }
            if (s.time().isPresent()) {
                String id = "skipped:" + UUID.nameUUIDFromBytes(s.key().getBytes(StandardCharsets.UTF_8));
                if (cursor.isEmpty() || !cursor.get().covers(s.time().get(), id)) {
                    run.skipped.add(s);
                }
                next = advance(next, s.time().get(), id);
            } else if (run.rememberSkip(s.key())) {
                run.skipped.add(s);
            }
        }
        if (read.truncated()) {
            context.logger().warn("{} {}: more records than one run reads ({} pages); the rest follows next run",
                    source.name(), stream, HyperliquidSource.MAX_PAGES);
        }
        if (next != null) {
            run.state.put(cursorKey, next.toJson());
        }
    }

    private static Cursor advance(Cursor cursor, Instant time, String id) {
        return cursor == null ? new Cursor(time, Set.of(id)) : cursor.advance(time, id);
    }

    private void emitVolumeMetrics(Run run, Analysis analysis) {
        Set<String> assets = new java.util.TreeSet<>(run.counted.keySet());
        assets.addAll(analysis.byAsset.keySet());
        for (String asset : assets) {
            Map<String, String> labels = Map.of("asset", asset);
            double[] c = run.counted.getOrDefault(asset, new double[2]);
            run.metric("liquidation.count", c[0], "count", labels);
            run.metric("liquidation.notional", Numbers.round(c[1], 2), "usd", labels);
            List<Liquidation> inWindow = analysis.byAsset.getOrDefault(asset, List.of());
            run.metric("liquidation.window_count", inWindow.size(), "count", labels);
            run.metric("liquidation.window_notional", Numbers.round(inWindow.stream().mapToDouble(Liquidation::usd).sum(), 2),
                    "usd", labels);
        }
    }

    private List<PatternInstance> detect(Run run, Analysis analysis) throws InterruptedException {
        List<PatternInstance> abnormal = new AbnormalSizeDetector().detect(analysis);
        List<PatternInstance> out = new ArrayList<>(new CascadeDetector().detect(analysis));
        out.addAll(new ManipulationDetector().detect(analysis, prices(run, analysis), source.priceSource()));
        out.addAll(new ConcentrationDetector().detect(analysis, abnormal));
        if (source.readsAccounts() && settings.maxAccountLookups() > 0) {
            out.addAll(new FlashLoanDetector().detect(analysis, accountFills(run)));
        }
        out.addAll(abnormal);
        return out;
    }

    private ManipulationDetector.Prices prices(Run run, Analysis analysis) {
        Map<String, Optional<List<Candle>>> memo = new HashMap<>();
        return (asset, from, to) -> memo.computeIfAbsent(asset + "|" + from + "|" + to, k -> {
            try {
                return Optional.of(source.candles(asset, from, to, analysis.all));
            } catch (ApiException e) {
                context.logger().warn("no prices for {} this run, the manipulation check waits: {}", asset, e.getMessage());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }

    private FlashLoanDetector.AccountFills accountFills(Run run) {
        lookups.keySet().removeIf(k -> Instant.ofEpochMilli(Long.parseLong(k.substring(k.lastIndexOf('|') + 1)))
                .isBefore(run.windowStart));
        int[] budget = {settings.maxAccountLookups()};
        return (account, asset, from, to) -> {
            String key = account + "|" + asset + "|" + from.plus(settings.flashWindow()).toEpochMilli();
            List<AccountTrade> cached = lookups.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
            if (budget[0] <= 0 || Thread.currentThread().isInterrupted()) {
                context.logger().debug("fills of {} not read this run (max_account_lookups reached)", account);
                return Optional.empty();
            }
            budget[0]--;
            try {
                List<AccountTrade> fills = source.accountFills(account, from, to);
                lookups.put(key, fills);
                return Optional.of(fills);
            } catch (ApiException e) {
                context.logger().warn("fills of {} not read, the flash-loan check waits: {}", account, e.getMessage());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        };
    }

    private void report(Run run, PatternInstance i, Level level, PatternLog.Decision decision) {
        double score = i.score().score();
        List<String> ids = i.evidence().stream().map(Liquidation::id).toList();
        Event.Builder event = Event.builder("liquidation.pattern")
                .severity(level.severity())
                .subject(i.asset())
                .title(i.asset() + " " + i.pattern().wireName() + " (score " + Numbers.round(score, 1) + ", "
                        + level.wireName() + "): " + i.summary())
                .attribute("pattern", i.pattern().wireName())
                .attribute("score", Numbers.round(score, 2))
                .attribute("level", level.wireName())
                .attribute("previous_level", decision.previous().wireName())
                .attribute("points", i.score().points())
                .attribute("assets", List.of(i.asset()))
                .attribute("accounts", i.accounts().subList(0, Math.min(20, i.accounts().size())))
                .attribute("account_count", i.accounts().size())
                .attribute("side", i.side())
                .attribute("notional", Numbers.round(i.notional(), 2))
                .attribute("liquidations", i.evidence().size())
                .attribute("window_start", i.start().toString())
                .attribute("window_end", i.end().toString())
                .attribute("duration_seconds", Duration.between(i.start(), i.end()).toSeconds())
                .attribute("evidence_ids", ids.subList(0, Math.min(50, ids.size())))
                .attribute("evidence_count", ids.size())
                .attribute("source", source.name())
                .fingerprint(decision.entry().fingerprint())
                .time(i.end());
        i.details().forEach(event::attribute);
        context.emitter().emit(event.build());
        context.logger().info("{} {} score {} ({})", i.asset(), i.pattern().wireName(), Numbers.round(score, 1),
                level.wireName());
    }

    private void reportSkipped(Run run) {
        run.metric("liquidation.records_skipped", run.skipped.size(), "count", Map.of());
        Optional<Map<String, Object>> reported = run.state.get("malformed");
        if (!run.skipped.isEmpty() && reported.isEmpty()) {
            StreamRead.Skipped first = run.skipped.get(0);
            String example = first.key().length() <= 300 ? first.key() : first.key().substring(0, 297) + "...";
            context.emitter().emit(Event.builder("liquidation.records.malformed")
                    .severity(Severity.MEDIUM)
                    .subject(source.name())
                    .title(run.skipped.size() + " " + source.name() + " record" + (run.skipped.size() == 1 ? "" : "s")
                            + " not in the documented format, skipped: " + first.error())
                    .attribute("source", source.name())
                    .attribute("skipped", run.skipped.size())
                    .attribute("error", first.error())
                    .attribute("errors", run.skipped.stream().map(StreamRead.Skipped::error).distinct().limit(10).toList())
                    .attribute("example", example)
                    .fingerprint("liquidation:malformed:" + source.name())
                    .time(run.now)
                    .build());
            context.logger().warn("{} malformed record(s) skipped: {}", run.skipped.size(), first.error());
            run.state.put("malformed", Map.of("since", run.now.toString()));
        } else if (run.skipped.isEmpty() && run.allRead && reported.isPresent()) {
            run.state.remove("malformed");
        } else if (!run.skipped.isEmpty()) {
            context.logger().debug("{} more malformed record(s) skipped", run.skipped.size());
        }
    }

    private void unavailable(Run run, String stream, ApiException e) {
        context.logger().debug("{}", e.getMessage());
        String key = "unavailable." + stream;
        if (run.state.get(key).isPresent()) {
            return;
        }
        context.emitter().emit(Event.builder("liquidation.source.unavailable")
                .severity(Severity.MEDIUM)
                .subject(stream)
                .title(source.name() + " " + stream + " cannot be read (" + e.reason().wireName() + "): " + e.getMessage())
                .attribute("source", source.name())
                .attribute("stream", stream)
                .attribute("reason", e.reason().wireName())
                .attribute("error", e.getMessage())
                .fingerprint("liquidation:source:" + stream)
                .time(run.now)
                .build());
        context.logger().warn("{}", e.getMessage());
        run.state.put(key, Map.of("since", run.now.toString(), "reason", e.reason().wireName()));
    }

    private void restored(Run run, String stream) {
        String key = "unavailable." + stream;
        Optional<Map<String, Object>> was = run.state.get(key);
        if (was.isEmpty()) {
            return;
        }
        Instant since = Instant.parse((String) was.get().get("since"));
        long seconds = Duration.between(since, run.now).toSeconds();
        context.emitter().emit(Event.builder("liquidation.source.restored")
                .severity(Severity.INFO)
                .subject(stream)
                .title(source.name() + " " + stream + " readable again after " + seconds + " s (was "
                        + was.get().get("reason") + ")")
                .attribute("source", source.name())
                .attribute("stream", stream)
                .attribute("reason", was.get().get("reason"))
                .attribute("since", since.toString())
                .attribute("unavailable_for_seconds", seconds)
                .fingerprint("liquidation:source:" + stream)
                .time(run.now)
                .build());
        context.logger().info("{} {} readable again", source.name(), stream);
        run.state.remove(key);
    }
}

package io.vigil.server.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.query.QueryParameters;
import io.vigil.server.query.TimeWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read API over metrics: names, series, range queries with a step and an aggregation, and
 * trends with a threshold forecast. Label matchers are {@code label.<name>=<value>} (repeatable,
 * all must hold). Windows are {@code since}/{@code until} or {@code hours} (default the last 24 h).
 */
@Controller("/api/v1/metrics")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.VIEWER)
class MetricController {

    static final int MAX_HOURS = 24 * 366;

    private final MetricQuery query;

    MetricController(MetricQuery query) {
        this.query = query;
    }

    /**
     * Metric names that have series.
     *
     * @param prefix only names starting with this
     * @param limit  at most this many, 1 to 10000 (default 1000)
     */
    @Get(uri = "/names", produces = MediaType.APPLICATION_JSON)
    Names names(HttpRequest<?> request, @Nullable @QueryValue String prefix, @Nullable @QueryValue String limit) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("prefix", "limit"), List.of());
        int max = p.integer("limit", 1000, 1, 10_000);
        p.done();
        return new Names(query.names(p.text("prefix"), max));
    }

    /**
     * Series of a metric whose labels include every {@code label.<name>=<value>} given.
     *
     * @param name  the metric name
     * @param limit at most this many, 1 to 1000 (default 1000)
     */
    @Get(uri = "/series", produces = MediaType.APPLICATION_JSON)
    SeriesList series(HttpRequest<?> request, @Nullable @QueryValue String name, @Nullable @QueryValue String limit) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("name", "limit"), List.of("label."));
        SeriesSelector selector = SeriesSelector.parse(p);
        int max = p.integer("limit", MetricQuery.MAX_SERIES, 1, MetricQuery.MAX_SERIES);
        p.done();
        return new SeriesList(query.series(selector, max));
    }

    /**
     * Range query: the samples of each matching series combined per step.
     *
     * @param name  the metric name
     * @param since ISO-8601 start (inclusive)
     * @param until ISO-8601 end (exclusive, default now)
     * @param hours the last N hours instead of since (default 24)
     * @param step  step length: 10s, 1m, 5m, 1h, 1d... (default 1m)
     * @param agg   avg (default), min, max, sum, count, last or p95
     */
    @Get(uri = "/query", produces = MediaType.APPLICATION_JSON)
    RangeResult range(HttpRequest<?> request, @Nullable @QueryValue String name, @Nullable @QueryValue String since,
                      @Nullable @QueryValue String until, @Nullable @QueryValue String hours,
                      @Nullable @QueryValue String step, @Nullable @QueryValue String agg) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("name", "since", "until", "hours", "step", "agg"), List.of("label."));
        SeriesSelector selector = SeriesSelector.parse(p);
        TimeWindow window = p.window(Instant.now(), 24, MAX_HOURS);
        Duration stepLength = p.duration("step", Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofDays(31));
        Aggregation aggregation = Aggregation.AVG;
        String aggText = p.text("agg");
        if (aggText != null) {
            aggregation = Aggregation.fromWireName(aggText).orElse(null);
            if (aggregation == null) {
                p.problem("agg must be one of " + Aggregation.NAMES + ", got \"" + aggText + "\"");
            }
        }
        p.done();
        return new RangeResult(selector.name(), selector.labels(), window.since(), window.until(),
                QueryParameters.format(stepLength), aggregation.wireName(),
                query.range(selector, window, stepLength, aggregation));
    }

    /**
     * Trend: the least-squares line of each matching series over the window, and when it reaches
     * {@code threshold}.
     *
     * @param name      the metric name
     * @param since     ISO-8601 start (inclusive)
     * @param until     ISO-8601 end (exclusive, default now)
     * @param hours     the last N hours instead of since (default 24)
     * @param threshold forecast when the line reaches this value
     * @param ahead     also predict the line's value this long after the window (e.g. 1h)
     */
    @Get(uri = "/trend", produces = MediaType.APPLICATION_JSON)
    TrendResult trend(HttpRequest<?> request, @Nullable @QueryValue String name, @Nullable @QueryValue String since,
                      @Nullable @QueryValue String until, @Nullable @QueryValue String hours,
                      @Nullable @QueryValue String threshold, @Nullable @QueryValue String ahead) {
        QueryParameters p = new QueryParameters(request.getParameters().asMap());
        p.rejectUnknown(List.of("name", "since", "until", "hours", "threshold", "ahead"), List.of("label."));
        SeriesSelector selector = SeriesSelector.parse(p);
        TimeWindow window = p.window(Instant.now(), 24, MAX_HOURS);
        Double limit = p.number("threshold");
        Duration predict = p.duration("ahead", null, Duration.ofSeconds(1), Duration.ofDays(3660));
        p.done();
        return new TrendResult(selector.name(), selector.labels(), window.since(), window.until(),
                new ArrayList<>(query.trend(selector, window, limit, predict)));
    }

    /** @param names metric names, alphabetically */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Names(List<String> names) {
    }

    /** @param series matching series, by id */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SeriesList(List<MetricSeries> series) {
    }

    /**
     * @param name   the metric
     * @param labels the label matchers applied
     * @param since  window start
     * @param until  window end
     * @param step   the step
     * @param agg    the aggregation
     * @param series each matching series with its points
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RangeResult(String name, Map<String, String> labels, Instant since, Instant until, String step, String agg,
                       List<SeriesPoints> series) {
    }

    /**
     * @param name   the metric
     * @param labels the label matchers applied
     * @param since  window start
     * @param until  window end
     * @param trends one per matching series
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TrendResult(String name, Map<String, String> labels, Instant since, Instant until, List<Trend> trends) {
    }
}

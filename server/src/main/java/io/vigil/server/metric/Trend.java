package io.vigil.server.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.query.TimeWindow;

import java.time.Duration;
import java.time.Instant;

/**
 * The least-squares line through a series' samples in a window, and what it forecasts.
 *
 * @param series          the series
 * @param samples         samples in the window
 * @param firstTime       time of the first sample
 * @param lastTime        time of the last sample
 * @param lastValue       value of the last sample
 * @param slopePerSecond  change per second of the line ({@code regr_slope}); {@code null} under 2 samples
 *                        or when all samples share one time
 * @param slopePerHour    the same per hour
 * @param r2              how well the line fits, 0 to 1 ({@code regr_r2}); {@code null} when undefined
 * @param fittedAtUntil   the line's value at the end of the window
 * @param forecast        when the line reaches the threshold, if one was given
 * @param prediction      the line's value some time after the window, if asked
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Trend(MetricSeries series, long samples, @Nullable Instant firstTime, @Nullable Instant lastTime,
                    @Nullable Double lastValue, @Nullable Double slopePerSecond, @Nullable Double slopePerHour,
                    @Nullable Double r2, @Nullable Double fittedAtUntil, @Nullable Forecast forecast,
                    @Nullable Prediction prediction) {

    /** A line reaching a threshold further away than this is reported as never reaching it. */
    static final double HORIZON_SECONDS = 100 * 365.25 * 86_400;

    /**
     * When the line reaches a threshold.
     *
     * @param threshold        the value
     * @param state            {@code will_cross}: the line reaches it after the window, at {@code crosses_at};
     *                         {@code beyond}: the line has already passed it by the end of the window;
     *                         {@code never}: the line is flat (or would take more than 100 years);
     *                         {@code insufficient_data}: fewer than 2 samples at distinct times
     * @param crossesAt        when, for {@code will_cross}
     * @param secondsFromUntil how long after the window's end, for {@code will_cross}
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Forecast(double threshold, String state, @Nullable Instant crossesAt,
                           @Nullable Double secondsFromUntil) {
    }

    /**
     * @param at    the predicted instant (the window's end plus {@code ahead})
     * @param value the line's value there
     */
    @Serdeable
    public record Prediction(Instant at, double value) {
    }

    static Trend of(MetricSeries series, TimeWindow window, long n, @Nullable Double slope, @Nullable Double intercept,
                    @Nullable Double r2, Instant first, Instant last, double lastValue, @Nullable Double threshold,
                    @Nullable Duration ahead) {
        if (slope == null || intercept == null || n < 2) {
            return new Trend(series, n, first, last, lastValue, null, null, null, null,
                    threshold == null ? null : new Forecast(threshold, "insufficient_data", null, null), null);
        }
        double length = window.length().toMillis() / 1000.0;
        double fitted = intercept + slope * length;
        Forecast forecast = null;
        if (threshold != null) {
            if (slope == 0) {
                forecast = new Forecast(threshold, fitted == threshold ? "beyond" : "never", null, null);
            } else {
                double at = (threshold - intercept) / slope; // seconds after the window's start
                if (at <= length) {
                    forecast = new Forecast(threshold, "beyond", null, null);
                } else if (at - length > HORIZON_SECONDS) {
                    forecast = new Forecast(threshold, "never", null, null);
                } else {
                    forecast = new Forecast(threshold, "will_cross",
                            window.since().plusMillis(Math.round(at * 1000)), at - length);
                }
            }
        }
        Prediction prediction = null;
        if (ahead != null) {
            double x = length + ahead.toMillis() / 1000.0;
            prediction = new Prediction(window.until().plus(ahead), intercept + slope * x);
        }
        return new Trend(series, n, first, last, lastValue, slope, slope * 3600, r2, fitted, forecast, prediction);
    }

    static Trend empty(MetricSeries series, @Nullable Double threshold) {
        return new Trend(series, 0, null, null, null, null, null, null, null,
                threshold == null ? null : new Forecast(threshold, "insufficient_data", null, null), null);
    }
}

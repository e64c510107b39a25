package io.vigil.server.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A series and its points in a range query.
 *
 * @param series the series
 * @param points one per step that has samples, oldest first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SeriesPoints(MetricSeries series, List<Point> points) {
}

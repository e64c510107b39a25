package io.vigil.server.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * A stored series: a metric name with one set of labels.
 *
 * @param id     metric_series.id
 * @param name   the metric name
 * @param unit   the unit of its first sample
 * @param labels its labels
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MetricSeries(long id, String name, String unit, Map<String, String> labels) {
}

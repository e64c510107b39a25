package io.vigil.server.metric;

import io.vigil.server.query.QueryParameters;

import java.util.List;
import java.util.Map;

/**
 * Which series a metric query reads: a metric name and label equalities ({@code label.asset=BTC}),
 * all of which must hold. A series with more labels than those given still matches.
 *
 * @param name   the metric name, exact
 * @param labels label name to required value
 */
public record SeriesSelector(String name, Map<String, String> labels) {

    /** The parameters a selector reads, besides {@code label.<key>}. */
    static final List<String> PARAMETERS = List.of("name");

    static SeriesSelector parse(QueryParameters p) {
        String name = p.text("name");
        if (name == null) {
            p.problem("name is required: the metric name, e.g. name=oracle.deviation_pct");
        }
        return new SeriesSelector(name, p.withPrefix("label."));
    }
}

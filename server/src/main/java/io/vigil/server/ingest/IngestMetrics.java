package io.vigil.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * The ingest counters, as Prometheus shows them:
 * <ul>
 *   <li>{@code vigil_ingest_events_total{outcome="accepted"|"duplicate"}}</li>
 *   <li>{@code vigil_ingest_metrics_total{outcome="accepted"|"duplicate"}}</li>
 *   <li>{@code vigil_ingest_batches_total{outcome="accepted"|"invalid"|"malformed"|"too_large"|
 *       "unsupported_encoding"|"busy"|"unavailable"|"error"}}</li>
 *   <li>{@code vigil_ingest_rejected_items_total{kind="event"|"metric"}}: items in batches refused as
 *       invalid</li>
 * </ul>
 * Created with the context (not on the first batch), so a scrape shows zeros from the start.
 */
@Context
final class IngestMetrics {

    private final MeterRegistry meters;
    private final Counter acceptedEvents;
    private final Counter duplicateEvents;
    private final Counter acceptedMetrics;
    private final Counter duplicateMetrics;
    private final Counter rejectedEvents;
    private final Counter rejectedMetrics;

    IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
        String events = "events in accepted batches: stored now (accepted) or before (duplicate)";
        acceptedEvents = counter("vigil.ingest.events", "outcome", "accepted", events);
        duplicateEvents = counter("vigil.ingest.events", "outcome", "duplicate", events);
        String samples = "metric samples in accepted batches: stored now (accepted) or before (duplicate)";
        acceptedMetrics = counter("vigil.ingest.metrics", "outcome", "accepted", samples);
        duplicateMetrics = counter("vigil.ingest.metrics", "outcome", "duplicate", samples);
        String rejected = "items in batches refused as invalid, by kind";
        rejectedEvents = counter("vigil.ingest.rejected.items", "kind", "event", rejected);
        rejectedMetrics = counter("vigil.ingest.rejected.items", "kind", "metric", rejected);
        for (String outcome : new String[] {"accepted", "invalid", "malformed", "too_large", "unsupported_encoding",
                "busy", "unavailable", "error"}) {
            batch(outcome);
        }
    }

    void accepted(IngestResult result) {
        acceptedEvents.increment(result.acceptedEvents());
        duplicateEvents.increment(result.duplicateEvents());
        acceptedMetrics.increment(result.acceptedMetrics());
        duplicateMetrics.increment(result.duplicateMetrics());
        batch("accepted").increment();
    }

    void invalid(BatchRejectedException.Invalid invalid) {
        rejectedEvents.increment(invalid.events());
        rejectedMetrics.increment(invalid.metrics());
    }

    /** The batch counter of one outcome. */
    Counter batch(String outcome) {
        return Counter.builder("vigil.ingest.batches").tag("outcome", outcome)
                .description("ingest requests by outcome").register(meters);
    }

    private Counter counter(String name, String tag, String value, String description) {
        return Counter.builder(name).tag(tag, value).description(description).register(meters);
    }
}

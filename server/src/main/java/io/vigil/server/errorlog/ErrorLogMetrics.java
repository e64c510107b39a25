package io.vigil.server.errorlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * The error log's counters, as Prometheus shows them:
 * <ul>
 *   <li>{@code vigil_errors_recorded_total{origin="agent"|"server"}}: occurrences recorded into groups</li>
 *   <li>{@code vigil_errors_dropped_total{reason="queue_full"|"write_failed"}}: server log lines
 *       the capture could not record (its queue was full, or the database refused the write)</li>
 * </ul>
 * Created with the context, so a scrape shows zeros from the start.
 */
@Context
final class ErrorLogMetrics {

    private final Counter recordedAgent;
    private final Counter recordedServer;
    private final Counter droppedQueueFull;
    private final Counter droppedWriteFailed;

    ErrorLogMetrics(MeterRegistry meters) {
        String recorded = "error occurrences recorded into error-log groups, by origin";
        recordedAgent = Counter.builder("vigil.errors.recorded").tag("origin", "agent").description(recorded)
                .register(meters);
        recordedServer = Counter.builder("vigil.errors.recorded").tag("origin", "server").description(recorded)
                .register(meters);
        String dropped = "server WARN/ERROR log lines the error log could not record, by reason";
        droppedQueueFull = Counter.builder("vigil.errors.dropped").tag("reason", "queue_full").description(dropped)
                .register(meters);
        droppedWriteFailed = Counter.builder("vigil.errors.dropped").tag("reason", "write_failed")
                .description(dropped).register(meters);
    }

    void recorded(String origin, long occurrences) {
        ("server".equals(origin) ? recordedServer : recordedAgent).increment(occurrences);
    }

    void droppedQueueFull(long lines) {
        droppedQueueFull.increment(lines);
    }

    void droppedWriteFailed(long lines) {
        droppedWriteFailed.increment(lines);
    }
}

package io.vigil.server.ingest;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * The answer to an accepted batch. Duplicates are items stored before (a redelivery) or repeated
 * within the batch: they count as delivered, so the agent may drop them from its spool.
 *
 * @param acceptedEvents   events stored now
 * @param duplicateEvents  events whose id was already stored
 * @param acceptedMetrics  samples stored now
 * @param duplicateMetrics samples whose series and time were already stored
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record IngestResult(int acceptedEvents, int duplicateEvents, int acceptedMetrics, int duplicateMetrics) {
}

package io.vigil.server.ingest;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.NewEvent;
import io.vigil.server.metric.NewSample;
import java.util.List;

/**
 * Published through Micronaut's {@code ApplicationEventPublisher} after a batch's transaction has
 * committed, on the request thread. Listeners (alert evaluation) see only what is stored, and only
 * the events that were new: a redelivered event is not in {@link #newEvents()}.
 *
 * @param agentId   the agent that sent the batch; null for the server's own events
 * @param agentName its name
 * @param newEvents events stored by this batch, in id order
 * @param samples   the batch's metric samples (stored, or already stored with the same value)
 */
public record IngestedBatch(@Nullable Long agentId, String agentName, List<NewEvent> newEvents, List<NewSample> samples) {
}

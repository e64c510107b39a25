package io.vigil.server.ingest;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.agent.AgentRegistry;
import io.vigil.server.auth.AgentCaller;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.EventWriter;
import io.vigil.server.metric.MetricWriter;
import jakarta.inject.Singleton;

import io.vigil.server.event.NewEvent;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.sql.Connection;

/**
 * Reads, validates and stores one batch. Either every item is stored (or recognised as a
 * duplicate) or nothing is: the whole batch is one transaction.
 */
@Singleton
public class IngestService {

    private final BatchParser parser;
    private final TransactionOperations<Connection> transactions;
    private final EventWriter events;
    private final MetricWriter metrics;
    private final AgentRegistry agents;
    private final IngestLimits limits;
    private final ApplicationEventPublisher<IngestedBatch> published;

    IngestService(IngestLimits limits, TransactionOperations<Connection> transactions, EventWriter events,
                  MetricWriter metrics, AgentRegistry agents, ApplicationEventPublisher<IngestedBatch> published) {
        this.published = published;
        this.limits = limits;
        this.parser = new BatchParser(limits);
        this.transactions = transactions;
        this.events = events;
        this.metrics = metrics;
        this.agents = agents;
    }

    /**
     * @param contentEncoding the request's {@code Content-Encoding}
     * @param body            the raw request body
     * @param userAgent       the request's {@code User-Agent}, for the agent's version
     * @throws BatchRejectedException when the batch is refused; nothing was stored
     * @throws io.vigil.server.database.DatabaseUnavailableException when PostgreSQL cannot be reached
     */
    public IngestResult ingest(AgentCaller agent, @Nullable String contentEncoding, InputStream body,
                               @Nullable String userAgent) throws java.io.IOException {
        BatchParser.RawBatch raw = parser.parse(BatchBody.open(contentEncoding, body, limits.getMaxBatchBytes()));
        BatchValidator.ValidBatch batch = BatchValidator.validate(raw, Instant.now().plus(limits.getMaxFuture()));
        AtomicReference<List<NewEvent>> fresh = new AtomicReference<>(List.of());
        IngestResult result = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            agents.markSeen(agent, userAgent);
            fresh.set(events.insert(connection, agent.id(), batch.events()));
            int newEvents = fresh.get().size();
            int newSamples = metrics.insert(connection, batch.samples());
            return new IngestResult(newEvents, batch.events().size() - newEvents,
                    newSamples, batch.samples().size() - newSamples);
        }));
        // After the commit, never before: whoever listens (alert evaluation) acts only on stored data.
        published.publishEvent(new IngestedBatch(agent.id(), agent.name(), fresh.get(), batch.samples()));
        return result;
    }
}

package io.vigil.server.event;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.api.Event;
import io.vigil.api.EventIds;
import io.vigil.server.LocalHost;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.ingest.IngestedBatch;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Events the server emits about itself: a component turning unhealthy, a secret about to expire,
 * an error group that recurred. They are stored in {@code events} like an agent's (with no agent:
 * {@code agent_id} NULL, plugin {@value #PLUGIN}) and then published as an {@link IngestedBatch},
 * so alert rules, timelines and the dashboard treat them exactly like shipped events.
 */
@Singleton
public class ServerEvents {

    /** The plugin name every server event carries. */
    public static final String PLUGIN = "server";
    /** The agent name rules see for server events (the {@code agent} label). */
    public static final String AGENT = "vigil-server";

    private final TransactionOperations<Connection> transactions;
    private final EventWriter writer;
    private final ApplicationEventPublisher<IngestedBatch> published;
    private final JsonMapper json;
    private final Clock clock;
    private final String host;

    @Inject
    ServerEvents(TransactionOperations<Connection> transactions, EventWriter writer,
                 ApplicationEventPublisher<IngestedBatch> published, JsonMapper json) {
        this(transactions, writer, published, json, Clock.systemUTC());
    }

    ServerEvents(TransactionOperations<Connection> transactions, EventWriter writer,
                 ApplicationEventPublisher<IngestedBatch> published, JsonMapper json, Clock clock) {
        this.transactions = transactions;
        this.writer = writer;
        this.published = published;
        this.json = json;
        this.clock = clock;
        this.host = LocalHost.name();
    }

    /** The host name this server's events carry ({@link LocalHost#name()}). */
    public String host() {
        return host;
    }

    /**
     * Describes one server event; {@link #emit(Emission)} stores it.
     *
     * @param component   which part of the server speaks (the event's {@code monitor}), e.g. {@code vault}
     * @param type        dotted event type, e.g. {@code server.secret.expiring}
     * @param subject     what it is about, e.g. the secret's name
     * @param fingerprint dedup key for alerting; null for the default (plugin, type, subject)
     * @param traceId     groups events of one server run of something (a check, a rotation); may be null
     */
    public record Emission(String component, String type, Severity severity, String subject, String title,
                           Map<String, Object> attributes, @Nullable String fingerprint, @Nullable String traceId) {

        public Emission {
            attributes = Map.copyOf(attributes);
        }

        /** An emission with the default fingerprint and no trace. */
        public static Emission of(String component, String type, Severity severity, String subject, String title,
                                  Map<String, Object> attributes) {
            return new Emission(component, type, severity, subject, title, attributes, null, null);
        }
    }

    /**
     * Stores {@code emission} in its own transaction, then hands it to alert evaluation.
     *
     * @return the stored event
     * @throws io.vigil.server.database.DatabaseUnavailableException when PostgreSQL cannot be reached
     */
    public NewEvent emit(Emission emission) {
        NewEvent event = toEvent(emission);
        DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            insert(status.getConnection(), event);
            return null;
        }));
        published.publishEvent(new IngestedBatch(null, AGENT, List.of(event), List.of()));
        return event;
    }

    /**
     * Stores {@code emission} on {@code connection} inside the caller's transaction. The caller
     * must {@link #published(NewEvent) publish} it after its commit, never before: rules act only on
     * stored data.
     */
    public NewEvent emitIn(Connection connection, Emission emission) throws SQLException {
        NewEvent event = toEvent(emission);
        insert(connection, event);
        return event;
    }

    /** Hands an event stored by {@link #emitIn} to alert evaluation, after its transaction committed. */
    public void published(NewEvent event) {
        published.publishEvent(new IngestedBatch(null, AGENT, List.of(event), List.of()));
    }

    private void insert(Connection connection, NewEvent event) throws SQLException {
        writer.insert(connection, null, List.of(event));
    }

    private NewEvent toEvent(Emission e) {
        String fingerprint = e.fingerprint() != null ? e.fingerprint()
                : Event.defaultFingerprint(PLUGIN, e.type(), e.subject());
        String attributes;
        try {
            attributes = json.writeValueAsString(e.attributes());
        } catch (IOException ex) {
            throw new UncheckedIOException("server event attributes must be plain JSON values", ex);
        }
        return new NewEvent(EventIds.next(), clock.instant(), host, AGENT, e.component(), PLUGIN, e.type(),
                e.severity(), e.subject(), e.title(), attributes, fingerprint, e.traceId(), null);
    }
}

package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.database.SqlArrays;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Inserts a batch of events in one statement.
 *
 * <p>Plain JDBC on purpose: Micronaut Data's {@code saveAll} sends one INSERT per row (JDBC batched
 * at best) and cannot say {@code ON CONFLICT DO NOTHING}. Here the whole batch travels as one array
 * per column and PostgreSQL unnests them: one round trip whatever the batch size, and redelivered
 * events are skipped by the primary key.
 */
@Singleton
public class EventWriter {

    private static final String INSERT = """
            INSERT INTO events (id, time, agent_id, host, agent, monitor, plugin, type, severity, subject,
                                title, attributes, fingerprint, trace_id, session_id)
            SELECT u.id, TIMESTAMPTZ 'epoch' + u.micros * INTERVAL '1 microsecond', ?, u.host, u.agent, u.monitor,
                   u.plugin, u.type, u.severity, u.subject, u.title, u.attributes, u.fingerprint, u.trace_id,
                   u.session_id
              FROM unnest(?::uuid[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::smallint[], ?::text[], ?::text[], ?::jsonb[], ?::text[], ?::text[], ?::text[])
                   AS u(id, micros, host, agent, monitor, plugin, type, severity, subject, title, attributes,
                        fingerprint, trace_id, session_id)
            ON CONFLICT (id, time) DO NOTHING
            RETURNING id""";

    /**
     * Inserts {@code events} on {@code connection} (the caller owns the transaction).
     *
     * @return the events that were new, in id order; the rest were already stored (or repeated
     *         within the batch). Only these may reach alert evaluation: a redelivered event must not
     *         count twice.
     */
    public List<NewEvent> insert(Connection connection, @Nullable Long agentId, List<NewEvent> batch) throws SQLException {
        if (batch.isEmpty()) {
            return List.of();
        }
        // Every writer inserts in id order, so two batches sharing ids (a retry re-batched by the
        // agent) lock them in the same order: one waits for the other instead of deadlocking.
        List<NewEvent> events = batch.stream().sorted(Comparator.comparing(NewEvent::id)).toList();
        int n = events.size();
        UUID[] ids = new UUID[n];
        Long[] times = new Long[n];
        String[] hosts = new String[n];
        String[] agents = new String[n];
        String[] monitors = new String[n];
        String[] plugins = new String[n];
        String[] types = new String[n];
        Short[] severities = new Short[n];
        String[] subjects = new String[n];
        String[] titles = new String[n];
        String[] attributes = new String[n];
        String[] fingerprints = new String[n];
        String[] traceIds = new String[n];
        String[] sessionIds = new String[n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            ids[i] = e.id();
            times[i] = SqlArrays.epochMicros(e.time());
            hosts[i] = e.host();
            agents[i] = e.agent();
            monitors[i] = e.monitor();
            plugins[i] = e.plugin();
            types[i] = e.type();
            severities[i] = e.severity().code();
            subjects[i] = e.subject();
            titles[i] = e.title();
            attributes[i] = e.attributesJson();
            fingerprints[i] = e.fingerprint();
            traceIds[i] = e.traceId();
            sessionIds[i] = e.sessionId();
        }
        try (PreparedStatement st = connection.prepareStatement(INSERT)) {
            int p = 1;
            st.setObject(p++, agentId, java.sql.Types.BIGINT);
            SqlArrays arrays = new SqlArrays(connection);
            st.setArray(p++, arrays.uuid(ids));
            st.setArray(p++, arrays.bigint(times));
            st.setArray(p++, arrays.text(hosts));
            st.setArray(p++, arrays.text(agents));
            st.setArray(p++, arrays.text(monitors));
            st.setArray(p++, arrays.text(plugins));
            st.setArray(p++, arrays.text(types));
            st.setArray(p++, arrays.smallint(severities));
            st.setArray(p++, arrays.text(subjects));
            st.setArray(p++, arrays.text(titles));
            st.setArray(p++, arrays.text(attributes));
            st.setArray(p++, arrays.text(fingerprints));
            st.setArray(p++, arrays.text(traceIds));
            st.setArray(p, arrays.text(sessionIds));
            java.util.Set<UUID> inserted = new java.util.HashSet<>();
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
            List<NewEvent> fresh = new java.util.ArrayList<>(inserted.size());
            for (NewEvent e : events) {
                // a repeat within the batch shares its id with the stored one: take it once
                if (inserted.remove(e.id())) {
                    fresh.add(e);
                }
            }
            return fresh;
        }
    }

}

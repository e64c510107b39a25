package io.vigil.agent.session;

import io.vigil.agent.schedule.MonitorStats;
import io.vigil.agent.ship.ShipStats;
import io.vigil.agent.ship.WireJson;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.state.SqliteStateStore;
import io.vigil.api.Event;
import io.vigil.api.EventIds;
import io.vigil.api.Severity;
import io.vigil.api.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent process lifetime, as the server sees it: an {@code agent.session_started} event when
 * the agent starts and an {@code agent.session_ended} event with uptime and counts when it stops
 * in order. Both go through the spool like every other event, so they ship (or wait) with the rest.
 *
 * <p>An unclean end (crash, {@code kill -9}, power loss) cannot announce itself, so it is detected at
 * the next start: the state database keeps the id of the last session and whether it ended cleanly
 * ({@link #STATE_SCOPE}); the flag is cleared when a session begins and set only after its end event
 * is in the spool. The next {@code session_started} reports {@code previous_session_id} and
 * {@code previous_ended_cleanly}.
 *
 * <p>Traces: each session event is its own trace (a fresh id), like every agent-internal event.
 */
public final class AgentSession {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

    /**
     * The state-database scope of the session bookkeeping. Monitor names are lower-case letters,
     * digits, '-', '_' and '.', so no monitor can see or overwrite these rows.
     */
    static final String STATE_SCOPE = "@agent";
    static final String LAST_SESSION = "session.last_id";
    static final String LAST_ENDED_CLEANLY = "session.last_ended_cleanly";

    /** Where this agent runs and what it runs, for the start event. */
    public record Identity(String agent, String host, String version, Map<String, String> plugins,
                           List<String> monitors) {
    }

    private final String id;
    private final Identity identity;
    private final Spool spool;
    private final StateStore state;
    private final Clock clock;
    private final Instant startedAt;
    private boolean ended;

    private AgentSession(String id, Identity identity, Spool spool, StateStore state, Clock clock, Instant startedAt) {
        this.id = id;
        this.identity = identity;
        this.spool = spool;
        this.state = state;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /**
     * Starts session {@code id}: reads how the previous session ended, marks this one as not (yet)
     * ended cleanly, and spools {@code agent.session_started}.
     */
    public static AgentSession begin(String id, Identity identity, Spool spool, SqliteStateStore stateDb, Clock clock) {
        StateStore state = stateDb.forMonitor(STATE_SCOPE);
        Optional<String> previous = state.get(LAST_SESSION);
        boolean previousClean = state.get(LAST_ENDED_CLEANLY).map(Boolean::parseBoolean).orElse(false);
        state.putAll(Map.of(LAST_SESSION, id, LAST_ENDED_CLEANLY, "false"));
        AgentSession session = new AgentSession(id, identity, spool, state, clock, clock.instant());

        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("session_id", id);
        attributes.put("version", identity.version());
        attributes.put("pid", ProcessHandle.current().pid());
        attributes.put("host", identity.host());
        attributes.put("plugins", identity.plugins());
        attributes.put("monitors", identity.monitors());
        // absent on the very first start of an agent: there is no previous session to judge
        attributes.put("previous_session_id", previous.orElse(null));
        attributes.put("previous_ended_cleanly", previous.isPresent() ? previousClean : null);
        Event.Builder event = Event.builder("agent.session_started").subject(identity.agent())
                .attributes(attributes);
        if (previous.isPresent() && !previousClean) {
            LOG.warn("the previous session {} of this agent did not end cleanly (crash, kill or power loss); "
                    + "events it had not spooled are lost", previous.get());
            event.severity(Severity.MEDIUM).title("agent " + identity.agent() + " started after an unclean stop of session "
                    + previous.get());
        } else {
            event.title("agent " + identity.agent() + " started");
        }
        session.spoolEvent(event);
        return session;
    }

    /** This session's id, stamped on every event of the process. */
    public String id() {
        return id;
    }

    /**
     * Spools {@code agent.session_ended} with uptime and counts, then records the clean end. Call it
     * once the monitors are stopped (so the counts are final) and before the spool is drained (so
     * the event ships with the rest). A second call does nothing.
     *
     * @param monitors the stats of every monitor of the session
     * @param ship     the shipper's counters (what it shipped until now; the final drain comes after)
     */
    public synchronized void end(Collection<MonitorStats> monitors, ShipStats ship) {
        if (ended) {
            return;
        }
        ended = true;
        long runs = 0;
        long failures = 0;
        long timeouts = 0;
        long emitted = 0;
        for (MonitorStats s : monitors) {
            runs += s.runs();
            failures += s.failures();
            timeouts += s.timeouts();
            emitted += s.emittedEvents();
        }
        long uptime = Duration.between(startedAt, clock.instant()).toSeconds();
        try {
            spoolEvent(Event.builder("agent.session_ended").subject(identity.agent())
                    .title("agent " + identity.agent() + " stopped after " + uptime + " s")
                    .attribute("session_id", id)
                    .attribute("started_at", startedAt.toString())
                    .attribute("uptime_s", uptime)
                    .attribute("events_emitted", emitted)
                    .attribute("events_shipped", ship.shippedEvents())
                    .attribute("ship_failures", ship.failedAttempts())
                    .attribute("monitor_runs", runs)
                    .attribute("monitor_failures", failures)
                    .attribute("monitor_timeouts", timeouts));
        } catch (RuntimeException e) {
            // Without its end event the server will list the session as ended uncleanly; the next
            // start must say the same, so the flag stays cleared. The stop itself goes on.
            LOG.error("cannot spool agent.session_ended for session {}: {}", id, e.getMessage());
            return;
        }
        state.put(LAST_ENDED_CLEANLY, "true");
    }

    private void spoolEvent(Event.Builder event) {
        // An agent-internal event is a trace of its own: a fresh id, never shared with a monitor run.
        Event stamped = event.time(clock.instant()).build().stamped(identity.host(), identity.agent(), "agent", "agent",
                EventIds.next().toString(), id);
        spool.append(ItemKind.EVENT, WireJson.encode(stamped));
    }
}

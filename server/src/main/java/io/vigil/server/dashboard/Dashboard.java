package io.vigil.server.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.agent.AgentLiveness;
import io.vigil.server.agent.AgentState;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The summary behind {@code GET /api/v1/dashboard}: events by severity over a window, agents and
 * the silent ones, the noisiest monitors, and whatever each {@link DashboardContributor} adds.
 */
@Singleton
public class Dashboard {

    /** Fields of the dashboard itself; contributors may not take them. */
    static final Set<String> OWN_FIELDS = Set.of("window", "events", "agents", "top_monitors");
    /** Noisy monitors listed. */
    static final int TOP_MONITORS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final ConnectionPool pool;
    private final AgentLiveness liveness;
    private final List<DashboardContributor> contributors;
    private final int timeoutSeconds;

    Dashboard(ConnectionPool pool, AgentLiveness liveness, List<DashboardContributor> contributors,
              @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.liveness = liveness;
        this.contributors = List.copyOf(contributors);
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        for (DashboardContributor c : contributors) {
            if (OWN_FIELDS.contains(c.field())) {
                throw new IllegalStateException("dashboard contributor " + c.getClass().getName() + " claims the field '"
                        + c.field() + "', which the dashboard fills itself");
            }
        }
    }

    /** The dashboard over {@code [since, until)}, as a JSON object's fields in order. */
    public Map<String, Object> summary(Instant since, Instant until) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window", new Window(since, until));
        out.put("events", events(since, until));
        out.put("agents", agents(until));
        out.put("top_monitors", topMonitors(since, until));
        out.put(DashboardContributor.FIRING_ALERTS, null); // filled by the alerting core's contributor
        for (DashboardContributor c : contributors) {
            try {
                out.put(c.field(), c.contribute(since, until));
            } catch (RuntimeException e) {
                LOG.error("dashboard contributor {} failed; its field '{}' is null", c.getClass().getName(), c.field(), e);
                out.put(c.field(), null);
            }
        }
        return out;
    }

    private Events events(Instant since, Instant until) {
        Sql sql = new Sql("SELECT severity, count(*) FROM events WHERE time >= ? AND time < ? GROUP BY severity",
                Sql.utc(since), Sql.utc(until));
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                long[] counts = new long[Severity.values().length];
                while (rs.next()) {
                    counts[rs.getShort(1)] = rs.getLong(2);
                }
                Map<String, Long> bySeverity = new LinkedHashMap<>();
                long total = 0;
                for (Severity s : Severity.values()) {
                    bySeverity.put(s.wireName(), counts[s.code()]);
                    total += counts[s.code()];
                }
                return new Events(total, bySeverity);
            }
        });
    }

    private Agents agents(Instant now) {
        List<AgentState> all = liveness.list(now);
        List<SilentAgent> silent = new ArrayList<>();
        int up = 0;
        int never = 0;
        for (AgentState a : all) {
            switch (a.status()) {
                case UP -> up++;
                case NEVER_SEEN -> never++;
                case SILENT -> silent.add(new SilentAgent(a.agent().id() == null ? 0 : a.agent().id(),
                        a.agent().name(), a.agent().host(), a.silentSince()));
            }
        }
        return new Agents(all.size(), up, silent.size(), never, liveness.silenceThreshold().toSeconds(), silent);
    }

    private List<NoisyMonitor> topMonitors(Instant since, Instant until) {
        Sql sql = new Sql("""
                SELECT agent_id, host, plugin, monitor, count(*) AS n, max(severity) AS highest
                  FROM events WHERE time >= ? AND time < ?
                 GROUP BY agent_id, host, plugin, monitor ORDER BY n DESC, agent_id, monitor LIMIT ?""",
                Sql.utc(since), Sql.utc(until), TOP_MONITORS);
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                List<NoisyMonitor> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new NoisyMonitor(rs.getLong("agent_id"), rs.getString("host"), rs.getString("plugin"),
                            rs.getString("monitor"), rs.getLong("n"),
                            Severity.fromCode(rs.getShort("highest")).wireName()));
                }
                return out;
            }
        });
    }


    /** @param since window start @param until window end (now) */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Window(Instant since, Instant until) {
    }

    /** @param total events in the window @param bySeverity every severity, in order, with its count */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Events(long total, Map<String, Long> bySeverity) {
    }

    /**
     * @param total                   agents not revoked
     * @param up                      heard from within the silence threshold
     * @param silent                  not heard from within it
     * @param neverSeen               registered, never heard from
     * @param silenceThresholdSeconds the threshold
     * @param silentAgents            the silent ones
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Agents(int total, int up, int silent, int neverSeen, long silenceThresholdSeconds,
                         List<SilentAgent> silentAgents) {
    }

    /** @param id agents.id @param name its name @param host its host @param silentSince last heard from */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SilentAgent(long id, String name, @Nullable String host, @Nullable Instant silentSince) {
    }

    /**
     * @param agentId  the agent that shipped the events
     * @param host     host name
     * @param plugin   plugin id
     * @param monitor  monitor name
     * @param events   events in the window
     * @param highest  highest severity among them
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record NoisyMonitor(long agentId, @Nullable String host, @Nullable String plugin, @Nullable String monitor,
                               long events, String highest) {
    }
}

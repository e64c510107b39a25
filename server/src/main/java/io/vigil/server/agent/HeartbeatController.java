package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.AgentCaller;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;
import io.vigil.server.healthlog.AgentHealthSamples;
import io.vigil.server.healthlog.HealthStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/heartbeat}: an agent says it is alive (every {@code agent.heartbeat_interval},
 * 30 s by default), with its version, plugins and spool depth. Only the latest heartbeat is kept,
 * in the agent's row; {@link AgentLiveness} judges silence from its arrival time. Each heartbeat is
 * also a health sample of the component {@code agent/<name>} ({@link AgentHealthSamples}).
 */
@Controller("/api/v1/heartbeat")
@ExecuteOn(TaskExecutors.BLOCKING)
class HeartbeatController {

    static final int MAX_TEXT = 255;
    static final int MAX_PLUGINS = 1000;

    static final int MAX_REASON = 2000;

    private final AgentRegistry registry;
    private final AgentHealthSamples health;

    HeartbeatController(AgentRegistry registry, AgentHealthSamples health) {
        this.registry = registry;
        this.health = health;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.AGENT)
    HttpResponse<?> heartbeat(@Body HeartbeatRequest beat, @RequestAttribute(Caller.ATTRIBUTE) AgentCaller agent) {
        List<String> problems = new ArrayList<>();
        text("agent", beat.agent(), problems);
        text("host", beat.host(), problems);
        text("version", beat.version(), problems);
        text("spi", beat.spi(), problems);
        text("session_id", beat.sessionId(), problems);
        Map<String, String> plugins = beat.plugins() == null ? Map.of() : beat.plugins();
        if (plugins.size() > MAX_PLUGINS) {
            problems.add("plugins lists " + plugins.size() + " plugins, the limit is " + MAX_PLUGINS);
        }
        plugins.forEach((id, version) -> {
            text("plugins key", id, problems);
            text("plugins." + id, version, problems);
        });
        notNegative("monitors", beat.monitors(), problems);
        notNegative("spool_items", beat.spoolItems(), problems);
        notNegative("spool_bytes", beat.spoolBytes(), problems);
        HealthStatus status = HealthStatus.parse(beat.status());
        if (beat.status() != null && status == null) {
            problems.add("status must be healthy, degraded or down, got \"" + beat.status() + "\"");
        }
        if (beat.reason() != null && (beat.reason().length() > MAX_REASON || beat.reason().indexOf('\0') >= 0)) {
            problems.add("reason must be at most " + MAX_REASON + " characters without U+0000");
        }
        if (beat.heartbeatIntervalMs() != null && beat.heartbeatIntervalMs() <= 0) {
            problems.add("heartbeat_interval_ms must be positive, got " + beat.heartbeatIntervalMs());
        }
        if (beat.cpu() != null && !(beat.cpu() >= 0 && beat.cpu() <= 1)) {
            problems.add("cpu must be a fraction of all CPUs from 0 to 1, got " + beat.cpu());
        }
        notNegative("memory_bytes", beat.memoryBytes(), problems);
        notNegative("error_count", beat.errorCount(), problems);
        if (beat.latencyMs() != null && !(beat.latencyMs() >= 0 && Double.isFinite(beat.latencyMs()))) {
            problems.add("latency_ms must be a finite number of milliseconds, not negative, got " + beat.latencyMs());
        }
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of("invalid heartbeat: " + String.join("; ", problems)));
        }
        registry.recordHeartbeat(agent, beat, plugins);
        health.record(agent.id(), agent.name(), new AgentHealthSamples.Report(status, beat.reason(),
                beat.heartbeatIntervalMs(), beat.latencyMs(), beat.cpu(), beat.memoryBytes(), beat.errorCount(),
                beat.spoolItems()));
        return HttpResponse.noContent();
    }

    private static void text(String field, @Nullable String value, List<String> problems) {
        if (value != null && (value.length() > MAX_TEXT || value.indexOf('\0') >= 0)) {
            problems.add(field + " must be at most " + MAX_TEXT + " characters without U+0000");
        }
    }

    private static void notNegative(String field, @Nullable Number value, List<String> problems) {
        if (value != null && value.longValue() < 0) {
            problems.add(field + " must not be negative, got " + value);
        }
    }

    /**
     * The heartbeat body, as {@code io.vigil.agent.ship.Heartbeat} sends it. Every field is
     * optional; unknown fields are ignored.
     *
     * @param agent      the agent's configured name
     * @param host       its host name
     * @param version    agent version
     * @param spi        vigil-api version
     * @param sessionId  id of the agent process's lifetime
     * @param time       the agent's clock when sending
     * @param plugins    plugin id to version
     * @param monitors   monitors configured
     * @param spoolItems items waiting in the spool
     * @param spoolBytes bytes in the spool
     * @param heartbeatIntervalMs how often the agent sends a heartbeat (health: silence after twice this)
     * @param status     the agent's own health: healthy, degraded or down (absent: healthy)
     * @param reason     why not healthy (e.g. the failing monitors)
     * @param cpu        the agent process's CPU load, a fraction of all CPUs (0 to 1)
     * @param memoryBytes the agent's resident set size (or heap used)
     * @param errorCount monitor failures and failed ship attempts since the agent started
     * @param latencyMs  the last acknowledged batch's round trip
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record HeartbeatRequest(@Nullable String agent, @Nullable String host, @Nullable String version,
                            @Nullable String spi, @Nullable String sessionId, @Nullable Instant time,
                            @Nullable Map<String, String> plugins, @Nullable Integer monitors,
                            @Nullable Long spoolItems, @Nullable Long spoolBytes, @Nullable Long heartbeatIntervalMs,
                            @Nullable String status, @Nullable String reason, @Nullable Double cpu,
                            @Nullable Long memoryBytes, @Nullable Long errorCount, @Nullable Double latencyMs) {
    }
}

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/heartbeat}: an agent says it is alive (every {@code agent.heartbeat_interval},
 * 30 s by default), with its version, plugins and spool depth. Only the latest heartbeat is kept,
 * in the agent's row; {@link AgentLiveness} judges silence from its arrival time.
 */
@Controller("/api/v1/heartbeat")
@ExecuteOn(TaskExecutors.BLOCKING)
class HeartbeatController {

    static final int MAX_TEXT = 255;
    static final int MAX_PLUGINS = 1000;

    private final AgentRegistry registry;

    HeartbeatController(AgentRegistry registry) {
        this.registry = registry;
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
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of("invalid heartbeat: " + String.join("; ", problems)));
        }
        registry.recordHeartbeat(agent, beat, plugins);
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
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record HeartbeatRequest(@Nullable String agent, @Nullable String host, @Nullable String version,
                            @Nullable String spi, @Nullable String sessionId, @Nullable Instant time,
                            @Nullable Map<String, String> plugins, @Nullable Integer monitors,
                            @Nullable Long spoolItems, @Nullable Long spoolBytes) {
    }
}

package io.vigil.server.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/agents}: admins register an agent (its token is shown once) and revoke one;
 * viewers list agents with their status.
 */
@Controller("/api/v1/agents")
@ExecuteOn(TaskExecutors.BLOCKING)
class AgentController {

    private final AgentRegistry registry;
    private final AgentLiveness liveness;

    AgentController(AgentRegistry registry, AgentLiveness liveness) {
        this.registry = registry;
        this.liveness = liveness;
    }

    /**
     * Every agent that is not revoked, by name, with whether it is alive.
     *
     * @param status only agents with this status: {@code up}, {@code silent} or {@code never_seen}
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> list(@Nullable @QueryValue String status) {
        AgentState.Status wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = AgentState.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return HttpResponse.badRequest(ApiError.of("status must be one of up, silent, never_seen, got \""
                        + status + "\""));
            }
        }
        Instant now = Instant.now();
        AgentState.Status only = wanted;
        List<AgentView> agents = liveness.list(now).stream()
                .filter(a -> only == null || a.status() == only)
                .map(AgentView::of).toList();
        return HttpResponse.ok(new AgentList(agents, liveness.silenceThreshold().toSeconds()));
    }

    /** Revokes the agent's token: its next request is refused with 401. Its events stay. */
    @Delete("/{id}")
    @Access(Role.ADMIN)
    HttpResponse<?> revoke(@PathVariable long id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return registry.revoke(id, caller.displayName())
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiError.of("no agent with id " + id + " that is not already revoked"));
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    HttpResponse<?> register(@Body NewAgentRequest request) {
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || !AgentRegistry.NAME_PATTERN.matcher(name).matches()) {
            return HttpResponse.badRequest(ApiError.of("name must be 1 to 128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, e.g. {\"name\": \"web-1\"}"));
        }
        AgentRegistry.RegisteredAgent agent = registry.register(name);
        return HttpResponse.created(new NewAgentResponse(agent.id(), agent.name(), agent.token(), agent.createdAt()));
    }

    @Error(exception = AgentNameTakenException.class)
    HttpResponse<ApiError> nameTaken(AgentNameTakenException e) {
        return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    /** @param name the agent's name, e.g. its host name */
    @Serdeable
    record NewAgentRequest(@Nullable String name) {
    }

    /**
     * @param id        agents.id
     * @param name      the name
     * @param token     the bearer token for the agent's config; only its hash is stored
     * @param createdAt creation time
     */
    @Serdeable
    record NewAgentResponse(long id, String name, String token, @JsonProperty("created_at") @Nullable Instant createdAt) {
    }

    /**
     * @param agents                    agents that are not revoked, by name
     * @param silenceThresholdSeconds   {@code vigil.agents.silence-threshold}: quiet this long means silent
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record AgentList(List<AgentView> agents, long silenceThresholdSeconds) {
    }

    /** An agent as the list shows it; every field is present, {@code null} when unknown. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AgentView(long id, String name, String status, @Nullable Instant silentSince,
                     @Nullable Instant lastContactAt, @Nullable Instant lastHeartbeatAt,
                     @Nullable Long heartbeatAgeSeconds, @Nullable Instant lastSeenAt, @Nullable String version,
                     @Nullable String host, @Nullable String sessionId, @Nullable String spiVersion,
                     Map<String, String> plugins, @Nullable Integer monitors, @Nullable Long spoolItems,
                     @Nullable Long spoolBytes, Map<String, String> labels, @Nullable Instant createdAt) {

        static AgentView of(AgentState s) {
            Agent a = s.agent();
            return new AgentView(a.id() == null ? 0 : a.id(), a.name(), s.status().name().toLowerCase(Locale.ROOT),
                    s.silentSince(), s.lastContactAt(), a.lastHeartbeatAt(),
                    s.heartbeatAge() == null ? null : s.heartbeatAge().toSeconds(), a.lastSeenAt(), a.version(),
                    a.host(), a.sessionId(), a.spiVersion(), a.plugins() == null ? Map.of() : a.plugins(),
                    a.monitors(), a.spoolItems(), a.spoolBytes(), a.labels() == null ? Map.of() : a.labels(),
                    a.createdAt());
        }
    }
}

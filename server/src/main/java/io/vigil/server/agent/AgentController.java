package io.vigil.server.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;

import java.time.Instant;

/** {@code POST /api/v1/agents}: registers an agent and returns its token, once. */
@Controller("/api/v1/agents")
@ExecuteOn(TaskExecutors.BLOCKING)
class AgentController {

    private final AgentRegistry registry;

    AgentController(AgentRegistry registry) {
        this.registry = registry;
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
}

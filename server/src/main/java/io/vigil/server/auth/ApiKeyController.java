package io.vigil.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.error.ApiError;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code /api/v1/api-keys}: admins create API keys (the token is shown once), list and revoke them.
 */
@Controller("/api/v1/api-keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.ADMIN)
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(@Body NewKeyRequest request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        String name = request.name() == null ? null : request.name().strip();
        Role role = request.role() == null ? null : Role.ofKeyRole(request.role().strip()).orElse(null);
        StringBuilder problems = new StringBuilder();
        if (name == null || !ApiKeys.NAME_PATTERN.matcher(name).matches()) {
            problems.append("name must be 1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter "
                    + "or digit");
        }
        if (role == null) {
            problems.append(problems.isEmpty() ? "" : "; ").append("role must be one of viewer, operator, admin, got ")
                    .append(request.role() == null ? "nothing" : "\"" + request.role() + "\"");
        }
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of(problems + ", e.g. {\"name\": \"grafana\", \"role\": \"viewer\"}"));
        }
        ApiKeys.IssuedKey issued = keys.create(name, role, caller.displayName());
        ApiKey k = issued.key();
        return HttpResponse.created(new NewKeyResponse(Objects.requireNonNull(k.id()), k.name(), k.role(),
                issued.token(), k.createdAt(), k.createdBy()));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    KeyList list() {
        return new KeyList(keys.list().stream().map(KeyView::of).toList());
    }

    @Delete("/{id}")
    HttpResponse<?> revoke(@PathVariable long id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return keys.revoke(id, caller.displayName())
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiError.of("no API key with id " + id + " that is not already revoked"));
    }

    @Error(exception = ApiKeys.NameTakenException.class)
    HttpResponse<ApiError> nameTaken(ApiKeys.NameTakenException e) {
        return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    /**
     * @param name a name for the key's holder, e.g. {@code grafana} or {@code alice}
     * @param role {@code viewer}, {@code operator} or {@code admin}
     */
    @Serdeable
    record NewKeyRequest(@Nullable String name, @Nullable String role) {
    }

    /** The new key; {@code token} is shown only here. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record NewKeyResponse(long id, String name, String role, String token, @Nullable Instant createdAt,
                          String createdBy) {
    }

    /** @param keys every key, revoked ones included, oldest first */
    @Serdeable
    record KeyList(List<KeyView> keys) {
    }

    /** A key without its token (which is not stored). */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record KeyView(long id, String name, String role, @Nullable Instant createdAt, String createdBy,
                   @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(Objects.requireNonNull(k.id()), k.name(), k.role(), k.createdAt(), k.createdBy(),
                    k.lastUsedAt(), k.revokedAt());
        }
    }
}

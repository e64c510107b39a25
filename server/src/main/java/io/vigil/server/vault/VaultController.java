package io.vigil.server.vault;

import io.micronaut.context.annotation.Value;
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
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.configfile.Durations;
import io.vigil.server.error.ApiError;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/secrets}: admins store, list, rotate and delete the vault's secrets and read its
 * audit. No response, error or log line ever contains a value: values go in, never out.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Access(Role.ADMIN)
class VaultController {

    /** Longest value accepted (a PEM key fits). */
    static final int MAX_VALUE_CHARS = 16_384;
    static final int MAX_AUDIT_LIMIT = 1000;

    private final Vault vault;
    private final Duration defaultGrace;

    VaultController(Vault vault, @Value("${vigil.vault.rotation-grace:7d}") Duration defaultGrace) {
        this.vault = vault;
        this.defaultGrace = defaultGrace;
    }

    @Post(uri = "/api/v1/secrets", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(@Body NewSecret request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<String> problems = new ArrayList<>();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || !Vault.NAME.matcher(name).matches()) {
            problems.add("name must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        SecretType type = request.type() == null ? null : SecretType.of(request.type().strip()).orElse(null);
        if (type == null) {
            problems.add("type must be one of " + SecretType.names());
        }
        checkValue(request.value(), problems);
        Instant expiresAt = expiresAt(request.expiresAt(), problems);
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of(String.join("; ", problems) + ", e.g. {\"name\": \"ops-slack\", "
                    + "\"type\": \"notification_token\", \"value\": \"...\", \"expires_at\": \"2027-01-31T00:00:00Z\"}"));
        }
        return HttpResponse.created(vault.create(name, type, request.value(), expiresAt, caller.displayName()));
    }

    @Get(uri = "/api/v1/secrets", produces = MediaType.APPLICATION_JSON)
    SecretList list() {
        return new SecretList(vault.list());
    }

    @Get(uri = "/api/v1/secrets/{name}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> get(@PathVariable String name) {
        Optional<SecretMetadata> found = vault.find(name);
        return found.<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> notFound(name));
    }

    @Post(uri = "/api/v1/secrets/{name}/rotate", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> rotate(@PathVariable String name, @Body Rotation request,
                           @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<String> problems = new ArrayList<>();
        checkValue(request.value(), problems);
        Duration grace = defaultGrace;
        if (request.grace() != null) {
            grace = Durations.parse(request.grace().strip()).orElse(null);
            if (grace == null) {
                problems.add("grace must be a duration like 7d, 12h or 0s, got \"" + request.grace() + "\"");
            }
        }
        Instant expiresAt = expiresAt(request.expiresAt(), problems);
        if (!problems.isEmpty()) {
            return HttpResponse.badRequest(ApiError.of(String.join("; ", problems)
                    + ", e.g. {\"value\": \"...\", \"grace\": \"7d\"}"));
        }
        return HttpResponse.ok(vault.rotate(name, request.value(), grace, expiresAt, caller.displayName()));
    }

    @Delete(uri = "/api/v1/secrets/{name}")
    HttpResponse<?> delete(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return vault.delete(name, caller.displayName()) ? HttpResponse.noContent() : notFound(name);
    }

    @Get(uri = "/api/v1/secrets/{name}/audit{?before,limit}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> auditOf(@PathVariable String name, @Nullable @QueryValue Long before,
                            @Nullable @QueryValue Integer limit) {
        return audit(name, before, limit);
    }

    @Get(uri = "/api/v1/secrets-audit{?secret,before,limit}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> auditAll(@Nullable @QueryValue String secret, @Nullable @QueryValue Long before,
                             @Nullable @QueryValue Integer limit) {
        return audit(secret, before, limit);
    }

    @Post(uri = "/api/v1/secrets/reencrypt", produces = MediaType.APPLICATION_JSON)
    Reencrypted reencrypt(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Reencryption.Result r = vault.reencrypt(caller.displayName());
        return new Reencrypted(r.secrets(), r.values(), r.keyId());
    }

    @Error(exception = Vault.SecretExistsException.class)
    HttpResponse<ApiError> exists(Vault.SecretExistsException e) {
        return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    @Error(exception = Vault.SecretNotFoundException.class)
    HttpResponse<ApiError> missing(Vault.SecretNotFoundException e) {
        return HttpResponse.notFound(ApiError.of(e.getMessage()));
    }

    private HttpResponse<?> audit(@Nullable String name, @Nullable Long before, @Nullable Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_AUDIT_LIMIT) {
            return HttpResponse.badRequest(ApiError.of("limit must be 1 to " + MAX_AUDIT_LIMIT + ", got " + n));
        }
        List<AuditEntry> entries = vault.audit(name, before, n);
        Long next = entries.size() == n ? entries.get(entries.size() - 1).id() : null;
        return HttpResponse.ok(new AuditPage(entries, next));
    }

    private static HttpResponse<?> notFound(String name) {
        return HttpResponse.notFound(ApiError.of("there is no vault secret named \"" + name + "\""));
    }

    private static void checkValue(@Nullable String value, List<String> problems) {
        if (value == null || value.isEmpty()) {
            problems.add("value is required (the secret; it is never shown again)");
        } else if (value.length() > MAX_VALUE_CHARS) {
            problems.add("value is longer than " + MAX_VALUE_CHARS + " characters");
        }
    }

    private static @Nullable Instant expiresAt(@Nullable String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            problems.add("expires_at must be a UTC time like 2027-01-31T00:00:00Z, got \"" + text + "\"");
            return null;
        }
    }

    /** A new secret. The value is never echoed, and {@code toString} does not show it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record NewSecret(@Nullable String name, @Nullable String type, @Nullable String value,
                     @Nullable String expiresAt) {
        @Override
        public String toString() {
            return "NewSecret[" + name + ", " + type + ", ***]";
        }
    }

    /**
     * A new value for a secret.
     *
     * @param grace     how long the previous value stays valid, e.g. {@code 7d} (default
     *                  {@code vigil.vault.rotation-grace}); {@code 0s} ends it at once
     * @param expiresAt the new value's expiry; absent keeps the current one
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record Rotation(@Nullable String value, @Nullable String grace, @Nullable String expiresAt) {
        @Override
        public String toString() {
            return "Rotation[***, " + grace + "]";
        }
    }

    @Serdeable
    record SecretList(List<SecretMetadata> secrets) {
    }

    /** @param next the {@code before} of the next (older) page; null on the last page */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record AuditPage(List<AuditEntry> entries, @Nullable Long next) {
    }

    /** What {@code POST /api/v1/secrets/reencrypt} did. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record Reencrypted(int secrets, int values, String keyId) {
    }
}

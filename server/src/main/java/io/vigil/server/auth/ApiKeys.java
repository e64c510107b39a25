package io.vigil.server.auth;

import io.micronaut.data.exceptions.DataAccessException;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Creates, lists and revokes API keys, and answers "which key is this token?". */
@Singleton
public class ApiKeys {

    /** How stale {@code api_keys.last_used_at} may get before a request updates it again. */
    public static final Duration USED_RESOLUTION = Duration.ofMinutes(1);
    /** Key names: words of letters, digits, '.', '_', '-', '@'. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final ApiKeyRepository repository;
    /** Last time this replica wrote last_used_at per key, so a busy key costs no write per request. */
    private final ConcurrentHashMap<Long, Instant> lastMarked = new ConcurrentHashMap<>();

    ApiKeys(ApiKeyRepository repository) {
        this.repository = repository;
    }

    /**
     * Creates a key with a new random token.
     *
     * @return the key and its token; the token is not stored and cannot be shown again
     * @throws NameTakenException when a key that is not revoked has this name
     */
    public IssuedKey create(String name, Role role, String createdBy) {
        if (role == Role.AGENT) {
            throw new IllegalArgumentException("an API key cannot have the agent role");
        }
        String token = TokenIssuer.issue(TokenIssuer.KEY_PREFIX);
        try {
            ApiKey saved = DatabaseFailures.unlessUnavailable(() -> repository.save(new ApiKey(null, name,
                    role.wireName(), TokenHash.of(token), null, createdBy, null, null)));
            LOG.atInfo().addKeyValue("key", name).addKeyValue("role", role.wireName())
                    .addKeyValue("by", createdBy)
                    .setMessage("API key {} ({}) created by {}").addArgument(name).addArgument(role.wireName())
                    .addArgument(createdBy).log();
            return new IssuedKey(saved, token);
        } catch (DataAccessException e) {
            if (DatabaseFailures.sqlState(e).filter(UNIQUE_VIOLATION::equals).isPresent()) {
                throw new NameTakenException("an API key named '" + name + "' already exists; choose another name "
                        + "or revoke that key first");
            }
            throw e;
        }
    }

    /** Every key, revoked ones included, oldest first. */
    public List<ApiKey> list() {
        return DatabaseFailures.unlessUnavailable(repository::listAll);
    }

    /** Revokes the key; false when there is no such key or it was already revoked. */
    public boolean revoke(long id, String by) {
        boolean done = DatabaseFailures.unlessUnavailable(() -> repository.revoke(id)) == 1;
        if (done) {
            LOG.atInfo().addKeyValue("key_id", id).addKeyValue("by", by)
                    .setMessage("API key {} revoked by {}").addArgument(id).addArgument(by).log();
        }
        return done;
    }

    /** The key holding this token hash, unless revoked; records the use (at most once a minute). */
    Optional<ApiKeyCaller> findByTokenHash(String tokenHash) {
        Optional<ApiKey> key = repository.findByTokenHashAndRevokedAtIsNull(tokenHash);
        key.ifPresent(this::markUsed);
        return key.flatMap(k -> Role.ofKeyRole(k.role())
                .map(role -> new ApiKeyCaller(Objects.requireNonNull(k.id()), k.name(), role)));
    }

    private void markUsed(ApiKey key) {
        Instant now = Instant.now();
        Instant staleBefore = now.minus(USED_RESOLUTION);
        Instant marked = lastMarked.get(key.id());
        if (marked != null && marked.isAfter(staleBefore)) {
            return;
        }
        lastMarked.put(key.id(), now);
        repository.markUsed(Objects.requireNonNull(key.id()), staleBefore);
    }

    /**
     * A new key with its token, shown once.
     *
     * @param key   the stored row
     * @param token the bearer token
     */
    public record IssuedKey(ApiKey key, String token) {
    }

    /** A key name that is in use. Answered with 409. */
    public static final class NameTakenException extends RuntimeException {
        public NameTakenException(String message) {
            super(message);
        }
    }
}

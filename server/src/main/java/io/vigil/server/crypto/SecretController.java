package io.vigil.server.crypto;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.error.ApiError;

/**
 * {@code POST /api/v1/secrets/encrypt}: turns a secret into the {@code enc:v2:<kid>:...} form the
 * routing file takes, with this server's active key. It only encrypts; nothing decrypts through the
 * API. (Secrets stored in the vault itself are {@code io.vigil.server.vault}.)
 */
@Controller("/api/v1/secrets")
class SecretController {

    private final Keyring keys;

    SecretController(Keyring keys) {
        this.keys = keys;
    }

    @Post(uri = "/encrypt", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    HttpResponse<?> encrypt(@Body EncryptRequest request) {
        if (request.value() == null || request.value().isEmpty()) {
            return HttpResponse.badRequest(ApiError.of("value is required: {\"value\": \"<the secret>\"}"));
        }
        return HttpResponse.ok(new EncryptResponse(keys.encrypt(Keyring.CONFIG_CONTEXT, request.value())));
    }

    /** @param value the secret */
    @Serdeable
    record EncryptRequest(@Nullable String value) {
        @Override
        public String toString() {
            return "EncryptRequest[***]";
        }
    }

    /** @param encrypted {@code enc:v2:<kid>:...}, for the routing file */
    @Serdeable
    record EncryptResponse(String encrypted) {
    }
}

package io.vigil.server.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code agents}: an agent allowed to ship batches.
 *
 * @param id         generated
 * @param name       unique, chosen at registration
 * @param tokenHash  {@link io.vigil.server.auth.TokenHash} of its bearer token; the token is not stored
 * @param createdAt  set on insert
 * @param lastSeenAt last accepted batch (updated at most every {@link AgentRegistry#SEEN_RESOLUTION})
 * @param version    agent version from its {@code User-Agent: vigil-agent/<version>} header
 * @param labels     free-form labels (not set by anything yet)
 */
@MappedEntity("agents")
public record Agent(@Id @GeneratedValue @Nullable Long id,
                    String name,
                    String tokenHash,
                    @DateCreated @Nullable Instant createdAt,
                    @Nullable Instant lastSeenAt,
                    @Nullable String version,
                    @TypeDef(type = DataType.JSON) Map<String, String> labels) {
}

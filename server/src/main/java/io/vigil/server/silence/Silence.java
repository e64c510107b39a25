package io.vigil.server.silence;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code silences}: from {@code startsAt} to {@code endsAt}, alerts matching every matcher
 * are recorded as usual but not notified (nor escalated).
 *
 * @param matchers label matchers as written ({@code team="db"}, {@code severity>=high})
 */
public record Silence(long id, List<String> matchers, Instant startsAt, Instant endsAt, String comment,
                      String createdBy, Instant createdAt, @Nullable String updatedBy, @Nullable Instant updatedAt) {

    /** pending, active or expired at {@code now}. */
    public String stateAt(Instant now) {
        if (now.isBefore(startsAt)) {
            return "pending";
        }
        return now.isBefore(endsAt) ? "active" : "expired";
    }
}

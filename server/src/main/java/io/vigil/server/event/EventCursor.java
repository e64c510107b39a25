package io.vigil.server.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * Position after the last event of a page, in the page order (time, then id). Opaque to clients:
 * base64url of {@code <time>/<id>}; clients only pass back what they got in {@code next}.
 *
 * @param time time of the last event returned
 * @param id   its id, the tie-breaker between events of the same time
 */
public record EventCursor(Instant time, UUID id) {

    public static EventCursor after(StoredEvent last) {
        return new EventCursor(last.time(), last.id());
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + "/" + id).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not a cursor this server produced
     */
    public static EventCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            int slash = plain.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new EventCursor(Instant.parse(plain.substring(0, slash)), UUID.fromString(plain.substring(slash + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("cursor is not a cursor from this API: pass the 'next' value "
                    + "of the previous page unchanged", e);
        }
    }
}

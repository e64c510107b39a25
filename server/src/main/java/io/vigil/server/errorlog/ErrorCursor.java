package io.vigil.server.errorlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Position after the last group of a page of the error list (newest {@code last_seen} first, then
 * highest id). Opaque to clients: base64url of {@code <last_seen>/<id>}.
 */
record ErrorCursor(Instant lastSeen, long id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((lastSeen + "/" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor of this list */
    static ErrorCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            int slash = plain.indexOf('/');
            return new ErrorCursor(Instant.parse(plain.substring(0, slash)), Long.parseLong(plain.substring(slash + 1)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeParseException e) {
            throw new IllegalArgumentException("cursor: not a cursor of this list; pass the 'next' value of the "
                    + "previous page unchanged", e);
        }
    }
}

package io.vigil.hyperliquid;

import io.vigil.hyperliquid.http.MalformedResponseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to {@code userFills} or {@code userFillsByTime}: the fills that are in the
 * documented format and, separately, those that are not, so one odd fill does not hide the
 * others from a monitor (which can count and report the malformed ones).
 *
 * @param user       the account asked about
 * @param fills      the well-formed fills, in the order the API sent them
 * @param malformed  the fills that were not in the documented format
 * @param size       how many fills the API sent (well-formed or not): a page of
 *                   {@link HyperliquidClient#FILLS_PAGE_LIMIT} means there may be more
 * @param receivedAt when the answer arrived, by the client's clock
 */
public record UserFills(String user, List<UserFill> fills, List<Malformed> malformed, int size, Instant receivedAt) {

    /**
     * A fill that was not in the documented format.
     *
     * @param time  its {@code time}, when that much could be read
     * @param json  the fill as the API sent it (compact JSON), to recognise it if it comes again
     * @param error what was wrong, naming the JSON path ({@code $[3].px is "abc", expected a decimal string})
     */
    public record Malformed(Optional<Instant> time, String json, MalformedResponseException error) {
    }
}

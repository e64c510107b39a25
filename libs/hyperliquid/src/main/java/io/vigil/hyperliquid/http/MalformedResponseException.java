package io.vigil.hyperliquid.http;

/**
 * The answer was not in the documented format: not JSON at all, or a field missing, null or of
 * the wrong type. The message names the response and the JSON path
 * ({@code hyperliquid metaAndAssetCtxs: $[1][0].oraclePx is null, expected a decimal string}).
 */
public final class MalformedResponseException extends ApiException {

    private static final long serialVersionUID = 1L;

    /** A format problem; {@code message} names the response and the path. */
    public MalformedResponseException(String message) {
        super(Reason.MALFORMED, message);
    }

    /** A format problem found by the JSON parser. */
    public MalformedResponseException(String message, Throwable cause) {
        super(Reason.MALFORMED, message, cause);
    }
}

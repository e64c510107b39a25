package io.vigil.server.ingest;

import io.micronaut.http.HttpStatus;
import io.vigil.server.error.ApiError;

import java.util.List;

/**
 * A batch refused as a whole, before anything was stored. Each kind knows its status and body;
 * none of them is worth retrying unchanged, unlike a 503.
 */
public abstract sealed class BatchRejectedException extends RuntimeException {

    private final HttpStatus status;
    private final String outcome;

    BatchRejectedException(HttpStatus status, String outcome, String message) {
        super(message, null, false, false);
        this.status = status;
        this.outcome = outcome;
    }

    /** The HTTP status to answer. */
    public HttpStatus status() {
        return status;
    }

    /** A short label for logs and the {@code outcome} tag of the batch counter. */
    public String outcome() {
        return outcome;
    }

    /** The response body. */
    public ApiError body() {
        return ApiError.of(getMessage());
    }

    /** Items that failed validation; the batch is refused with 400 listing each. */
    public static final class Invalid extends BatchRejectedException {
        private final List<ApiError.Item> items;
        private final int events;
        private final int metrics;

        Invalid(List<ApiError.Item> items, int events, int metrics) {
            super(HttpStatus.BAD_REQUEST, "invalid", "invalid batch");
            this.items = List.copyOf(items);
            this.events = events;
            this.metrics = metrics;
        }

        public List<ApiError.Item> items() {
            return items;
        }

        /** Events in the refused batch. */
        public int events() {
            return events;
        }

        /** Metric samples in the refused batch. */
        public int metrics() {
            return metrics;
        }

        @Override
        public ApiError body() {
            return ApiError.of(getMessage(), items);
        }
    }

    /** The body is not JSON (or not gzip); 400 naming the position. */
    public static final class Malformed extends BatchRejectedException {
        private final Integer line;
        private final Integer column;

        Malformed(String message, Integer line, Integer column) {
            super(HttpStatus.BAD_REQUEST, "malformed", message);
            this.line = line;
            this.column = column;
        }

        @Override
        public ApiError body() {
            return ApiError.at(getMessage(), line, column);
        }
    }

    /** Over {@code vigil.ingest.max-batch-bytes} or an item-count limit; 413. */
    public static final class TooLarge extends BatchRejectedException {
        TooLarge(String message) {
            super(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", message);
        }
    }

    /** A {@code Content-Encoding} other than gzip or identity; 415. */
    public static final class UnsupportedEncoding extends BatchRejectedException {
        UnsupportedEncoding(String encoding) {
            super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding", "Content-Encoding '" + encoding
                    + "' is not supported: send the batch as gzip or uncompressed");
        }
    }
}

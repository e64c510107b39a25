package io.vigil.server.errorlog;

import io.micronaut.core.annotation.Nullable;
import io.vigil.errorgroup.ErrorFingerprint;
import io.vigil.errorgroup.ErrorText;

import java.time.Instant;

/**
 * One or more occurrences of one error from one source, as the error log records them: from an
 * agent's batch ({@code POST /api/v1/errors}) or from the server's own log ({@link ServerLogCapture}).
 * Texts are bounded ({@link ErrorText}) and the fingerprint computed by {@link #of}.
 *
 * @param source        the agent's name, or {@code server:<host>}
 * @param count         occurrences between {@code firstSeen} and {@code lastSeen}, at least 1
 */
public record ErrorReport(String source, String fingerprint, String component, ErrorSeverity severity,
                          String message, @Nullable String exceptionType, @Nullable String stack,
                          Instant firstSeen, Instant lastSeen, long count) {

    /** A report with bounded texts and its fingerprint. */
    public static ErrorReport of(String source, String component, ErrorSeverity severity, @Nullable String message,
                                 @Nullable String exceptionType, @Nullable String stack, Instant firstSeen,
                                 Instant lastSeen, long count) {
        String text = message == null || message.isBlank()
                ? (exceptionType == null ? "(no message)" : exceptionType) : message;
        String fingerprint = ErrorFingerprint.of(component, exceptionType, stack, text);
        return new ErrorReport(source, fingerprint, component, severity, ErrorText.message(text), exceptionType,
                ErrorText.stack(stack), firstSeen, lastSeen, count);
    }
}

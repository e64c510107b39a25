package io.vigil.server.errorlog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the body of {@code POST /api/v1/errors}: a JSON object {@code {"reports": [...]}}
 * of at most {@code vigil.errors.max-batch-bytes} bytes and {@code max-batch-reports} reports. Every
 * problem is collected and named by its path ({@code reports[2].severity: ...}); nothing of a batch
 * with a problem is recorded.
 */
@Singleton
class ReportBatchReader {

    static final int MAX_COMPONENT = 200;
    static final int MAX_EXCEPTION_TYPE = 300;
    /** How far ahead of the server's clock a report's times may be (clock skew), no further. */
    static final Duration MAX_SKEW = Duration.ofMinutes(10);
    private static final int MAX_PROBLEMS = 20;

    private final JsonMapper json;
    private final ErrorLogSettings settings;

    ReportBatchReader(JsonMapper json, ErrorLogSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    /** The body could not be accepted: {@code tooLarge} → 413, otherwise 400. */
    static final class Refused extends Exception {
        final boolean tooLarge;

        Refused(String message, boolean tooLarge) {
            super(message, null, false, false);
            this.tooLarge = tooLarge;
        }
    }

    /** One report as an agent sends it; every field is checked by {@link #read}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record ReportBody(@Nullable String component, @Nullable String severity, @Nullable String message,
                      @Nullable String exceptionType, @Nullable String stack, @Nullable String firstSeen,
                      @Nullable String lastSeen, @Nullable Long count) {
    }

    @Serdeable
    record BatchBody(@Nullable List<ReportBody> reports) {
    }

    List<ErrorReport> read(@Nullable InputStream body, String source, Instant now) throws Refused, IOException {
        byte[] bytes = body == null ? new byte[0] : body.readNBytes(settings.getMaxBatchBytes() + 1);
        if (bytes.length > settings.getMaxBatchBytes()) {
            throw new Refused("the body is larger than " + settings.getMaxBatchBytes()
                    + " bytes (vigil.errors.max-batch-bytes); send fewer reports at a time", true);
        }
        BatchBody batch;
        try {
            batch = json.readValue(bytes, BatchBody.class);
        } catch (IOException | RuntimeException e) {
            throw new Refused("the body is not an error batch {\"reports\": [...]}: " + e.getMessage(), false);
        }
        if (batch == null || batch.reports() == null) {
            throw new Refused("reports: required, a list of error reports", false);
        }
        if (batch.reports().size() > settings.getMaxBatchReports()) {
            throw new Refused("reports: at most " + settings.getMaxBatchReports() + " per request "
                    + "(vigil.errors.max-batch-reports), got " + batch.reports().size(), true);
        }
        List<String> problems = new ArrayList<>();
        List<ErrorReport> out = new ArrayList<>(batch.reports().size());
        for (int i = 0; i < batch.reports().size(); i++) {
            ErrorReport r = check(batch.reports().get(i), "reports[" + i + "].", source, now, problems);
            if (r != null) {
                out.add(r);
            }
        }
        if (!problems.isEmpty()) {
            List<String> shown = problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems;
            throw new Refused(String.join("; ", shown)
                    + (problems.size() > shown.size() ? "; and " + (problems.size() - shown.size()) + " more" : ""),
                    false);
        }
        return out;
    }

    private static @Nullable ErrorReport check(@Nullable ReportBody b, String at, String source, Instant now,
                                               List<String> problems) {
        if (b == null) {
            problems.add(at.substring(0, at.length() - 1) + ": must be an object");
            return null;
        }
        int before = problems.size();
        if (b.component() == null || b.component().isBlank()) {
            problems.add(at + "component: required, e.g. \"monitor:disk\"");
        } else if (b.component().length() > MAX_COMPONENT) {
            problems.add(at + "component: at most " + MAX_COMPONENT + " characters");
        }
        ErrorSeverity severity = b.severity() == null ? null : ErrorSeverity.fromWireName(b.severity()).orElse(null);
        if (severity == null) {
            problems.add(at + "severity: expected one of " + ErrorSeverity.NAMES + ", got "
                    + (b.severity() == null ? "nothing" : "\"" + b.severity() + "\""));
        }
        if ((b.message() == null || b.message().isBlank())
                && (b.exceptionType() == null || b.exceptionType().isBlank())) {
            problems.add(at + "message: required when there is no exception_type");
        }
        if (b.exceptionType() != null && b.exceptionType().length() > MAX_EXCEPTION_TYPE) {
            problems.add(at + "exception_type: at most " + MAX_EXCEPTION_TYPE + " characters");
        }
        Instant first = time(b.firstSeen(), at + "first_seen", problems);
        Instant last = time(b.lastSeen(), at + "last_seen", problems);
        if (first != null && last != null) {
            if (first.isAfter(last)) {
                problems.add(at + "first_seen: must not be after last_seen");
            }
            if (last.isAfter(now.plus(MAX_SKEW))) {
                problems.add(at + "last_seen: " + last + " is more than " + MAX_SKEW.toMinutes()
                        + " minutes ahead of the server's clock (" + now + ")");
            }
        }
        long count = b.count() == null ? 1 : b.count();
        if (count < 1) {
            problems.add(at + "count: must be at least 1, got " + count);
        }
        if (problems.size() > before) {
            return null;
        }
        String type = b.exceptionType() == null || b.exceptionType().isBlank() ? null : b.exceptionType().strip();
        return ErrorReport.of(source, b.component().strip(), severity, b.message(), type, b.stack(), first, last,
                count);
    }

    private static @Nullable Instant time(@Nullable String text, String field, List<String> problems) {
        if (text == null) {
            problems.add(field + ": required, an ISO-8601 time such as 2026-11-27T10:00:00Z");
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field + ": expected an ISO-8601 time such as 2026-11-27T10:00:00Z, got \"" + text + "\"");
            return null;
        }
    }
}

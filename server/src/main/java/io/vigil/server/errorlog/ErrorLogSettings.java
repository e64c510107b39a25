package io.vigil.server.errorlog;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** The error log's limits ({@code vigil.errors.*}); retention and the server log capture are nested. */
@ConfigurationProperties("vigil.errors")
public class ErrorLogSettings {

    /** Largest body of {@code POST /api/v1/errors}; a larger one is refused with 413. */
    private int maxBatchBytes = 1024 * 1024;
    /** Most reports in one {@code POST /api/v1/errors}; more are refused with 413. */
    private int maxBatchReports = 500;

    public int getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    public int getMaxBatchReports() {
        return maxBatchReports;
    }

    public void setMaxBatchReports(int maxBatchReports) {
        this.maxBatchReports = maxBatchReports;
    }

    /** {@code vigil.errors.retention.*}: what {@link ErrorRetention} purges. */
    @ConfigurationProperties("retention")
    public static class Retention {
        /** Resolved groups are deleted (with their hours and activity) this long after their resolution. */
        private Duration resolved = Duration.ofDays(30);
        /** Hour rows older than this are deleted, of every group (open ones keep their totals). */
        private Duration hourly = Duration.ofDays(30);
        /** How often the purge runs (also once at start-up). */
        private Duration checkInterval = Duration.ofHours(1);

        public Duration getResolved() {
            return resolved;
        }

        public void setResolved(Duration resolved) {
            this.resolved = resolved;
        }

        public Duration getHourly() {
            return hourly;
        }

        public void setHourly(Duration hourly) {
            if (hourly.compareTo(Duration.ofDays(8)) < 0) {
                // the statistics read the last 7 complete days and today
                throw new IllegalArgumentException("vigil.errors.retention.hourly must be at least 8d, got " + hourly);
            }
            this.hourly = hourly;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }
    }

    /** {@code vigil.errors.capture.*}: the server's own WARN and ERROR log lines ({@link ServerLogCapture}). */
    @ConfigurationProperties("capture")
    public static class Capture {
        /** false: the server's log lines are not recorded (agents' reports still are). */
        private boolean enabled = true;
        /** Log lines waiting to be written; when full, further lines are dropped and counted. */
        private int queueSize = 10_000;
        /** How often the waiting lines are written, aggregated by group. */
        private Duration flushInterval = Duration.ofSeconds(2);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getQueueSize() {
            return queueSize;
        }

        public void setQueueSize(int queueSize) {
            this.queueSize = queueSize;
        }

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }
    }
}

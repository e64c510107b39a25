package io.vigil.server.retention;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** How the day partitions are maintained ({@code vigil.partitions.*}). */
@ConfigurationProperties("vigil.partitions")
public class PartitionSettings {

    /** Day partitions kept ready ahead of today (UTC). */
    private int daysAhead = 7;
    /** How often partitions are created ahead and expired ones dropped (also once at start-up). */
    private Duration checkInterval = Duration.ofHours(1);
    /**
     * How long the DDL waits for its table lock (creating or dropping a partition briefly locks the
     * table against every reader and writer). On timeout the step is retried at the next check.
     */
    private Duration lockTimeout = Duration.ofSeconds(10);

    public int getDaysAhead() {
        return daysAhead;
    }

    public void setDaysAhead(int daysAhead) {
        if (daysAhead < 2) {
            throw new IllegalArgumentException("vigil.partitions.days-ahead must be at least 2, got " + daysAhead);
        }
        this.daysAhead = daysAhead;
    }

    public Duration getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(Duration checkInterval) {
        this.checkInterval = checkInterval;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }
}

package io.vigil.server.retention;

import java.time.Duration;

/**
 * A table partitioned by day on its {@code time} column the way V3__partition_events_and_metric_samples.sql
 * describes (partitions {@code <table>_pYYYYMMDD} and {@code <table>_default}, created by
 * {@code vigil_create_day_partition}), which {@link PartitionMaintenance} keeps: partitions ahead,
 * old ones dropped. Another package with such a table declares a bean of this type to have it kept.
 *
 * @param table     the partitioned table
 * @param retention how long its rows are kept
 */
public record RetainedTable(String table, Duration retention) {

    public RetainedTable {
        if (!table.matches("[a-z_][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("not a plain table name: " + table);
        }
    }
}

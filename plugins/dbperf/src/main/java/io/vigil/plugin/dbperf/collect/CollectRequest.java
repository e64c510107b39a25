package io.vigil.plugin.dbperf.collect;

/**
 * What one collection should include.
 *
 * @param selection           the databases to report
 * @param sizes               whether to measure database sizes this time (they cost more than the rest)
 * @param quickCheck          whether to run SQLite's quick_check this time
 * @param queryTimeoutSeconds limit for each statement
 */
public record CollectRequest(DatabaseSelection selection, boolean sizes, boolean quickCheck, int queryTimeoutSeconds) {
}

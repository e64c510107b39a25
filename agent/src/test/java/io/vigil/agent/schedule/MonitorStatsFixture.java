package io.vigil.agent.schedule;

/** Monitor statistics in a given state, for tests of what reads them (the heartbeat's health). */
public final class MonitorStatsFixture {

    private MonitorStatsFixture() {
    }

    /** Statistics of a monitor of {@code plugin} that ran {@code runs} times. */
    public static MonitorStats of(String plugin, long runs) {
        MonitorStats s = new MonitorStats(plugin);
        s.runs.set(runs);
        return s;
    }

    /** Records a failed run with its error line, as the scheduler does. */
    public static void fail(MonitorStats s, String error) {
        s.failures.incrementAndGet();
        s.lastError.set(error);
    }

    /** Records a run interrupted for exceeding its timeout. */
    public static void timeOut(MonitorStats s) {
        s.timeouts.incrementAndGet();
    }
}

package io.vigil.agent.health;

import io.vigil.agent.schedule.MonitorStats;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders the agent's counters in the Prometheus text exposition format (version 0.0.4): a
 * handful of counters and gauges, written directly rather than through a metrics library that
 * would cost the agent more memory than the numbers it holds.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    static String render(AgentEndpoint.AgentView v) {
        StringBuilder out = new StringBuilder(4096);
        gauge(out, "vigil_agent_info", "Agent build and SPI version", "{version=\"" + escape(v.version()) + "\"}", 1);
        Map<String, MonitorStats> monitors = v.monitors().get();
        perMonitor(out, monitors, "vigil_agent_monitor_runs_total", "counter", "Completed monitor runs", MonitorStats::runs);
        perMonitor(out, monitors, "vigil_agent_monitor_failures_total", "counter", "Monitor runs that threw", MonitorStats::failures);
        perMonitor(out, monitors, "vigil_agent_monitor_timeouts_total", "counter", "Polls interrupted at their timeout", MonitorStats::timeouts);
        perMonitor(out, monitors, "vigil_agent_monitor_skipped_total", "counter", "Polls skipped because the previous one still ran", MonitorStats::skipped);
        perMonitor(out, monitors, "vigil_agent_monitor_restarts_total", "counter", "Streaming monitor restarts", MonitorStats::restarts);
        perMonitor(out, monitors, "vigil_agent_emitted_events_total", "counter", "Events emitted", MonitorStats::emittedEvents);
        perMonitor(out, monitors, "vigil_agent_emitted_metrics_total", "counter", "Metric samples emitted", MonitorStats::emittedMetrics);
        counter(out, "vigil_agent_shipped_events_total", "Events acknowledged by the server", v.ship().shippedEvents());
        counter(out, "vigil_agent_shipped_metrics_total", "Metric samples acknowledged by the server", v.ship().shippedMetrics());
        counter(out, "vigil_agent_ship_batches_total", "Batches acknowledged by the server", v.ship().batches());
        counter(out, "vigil_agent_ship_failures_total", "Failed ship attempts (retried)", v.ship().failedAttempts());
        counter(out, "vigil_agent_ship_latency_seconds_sum", "Time spent in acknowledged requests", v.ship().latencySecondsSum());
        gauge(out, "vigil_agent_spool_items", "Items waiting in the spool", "", v.spool().depth());
        gauge(out, "vigil_agent_spool_bytes", "Bytes waiting in the spool", "", v.spool().bytes());
        counter(out, "vigil_agent_spool_dropped_events_total", "Events dropped because the spool was full", v.spool().droppedEvents());
        counter(out, "vigil_agent_spool_dropped_metrics_total", "Metric samples dropped because the spool was full", v.spool().droppedMetrics());
        counter(out, "vigil_agent_spool_dead_lettered_total", "Items the server refused as invalid", v.spool().deadLettered());
        counter(out, "vigil_agent_spool_damaged_files_total", "Spool files found damaged at start and moved aside",
                v.spool().recoveredFromDamage() ? 1 : 0);
        return out.toString();
    }

    private static void perMonitor(StringBuilder out, Map<String, MonitorStats> monitors, String name, String type,
                                   String help, ToDoubleFunction<MonitorStats> value) {
        header(out, name, type, help);
        monitors.forEach((monitor, s) -> out.append(name).append("{monitor=\"").append(escape(monitor))
                .append("\",plugin=\"").append(escape(s.plugin())).append("\"} ")
                .append(format(value.applyAsDouble(s))).append('\n'));
    }

    private static void counter(StringBuilder out, String name, String help, double value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        header(out, name, "gauge", help);
        out.append(name).append(labels).append(' ').append(format(value)).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

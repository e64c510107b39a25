package io.vigil.server.errorlog;

import io.vigil.server.ServerSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Error reports as an agent sends them to {@code POST /api/v1/errors}, for the specifications. */
final class ErrorReports {

    static final String STACK = """
            java.io.UncheckedIOException: disk /dev/sda1 unreadable
            \tat io.vigil.plugin.disk.DiskMonitor.poll(DiskMonitor.java:88)
            \tat io.vigil.agent.schedule.MonitorScheduler.poll(MonitorScheduler.java:181)
            \tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)
            """;

    private ErrorReports() {
    }

    /** A valid report of the disk monitor's error, {@code count} times at {@code at}; overrides replace fields. */
    static Map<String, Object> report(Instant at, long count, Map<String, Object> overrides) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("component", "monitor:disk");
        r.put("severity", "error");
        r.put("message", "disk /dev/sda1 unreadable");
        r.put("exception_type", "java.io.UncheckedIOException");
        r.put("stack", STACK);
        r.put("first_seen", at.toString());
        r.put("last_seen", at.toString());
        r.put("count", count);
        overrides.forEach((k, v) -> {
            if (v == null) {
                r.remove(k);
            } else {
                r.put(k, v);
            }
        });
        return r;
    }

    static Map<String, Object> report(Instant at, long count) {
        return report(at, count, Map.of());
    }

    @SafeVarargs
    static String errors(Map<String, Object>... reports) {
        return errors(List.of(reports));
    }

    static String errors(List<Map<String, Object>> reports) {
        try {
            return ServerSpec.JSON.writeValueAsString(Map.of("reports", reports));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

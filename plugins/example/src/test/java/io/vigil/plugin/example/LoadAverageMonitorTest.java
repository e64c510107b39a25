package io.vigil.plugin.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.api.Event;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadAverageMonitorTest {

    @TempDir
    Path dir;

    private final LoadAverageMonitorFactory factory = new LoadAverageMonitorFactory();

    private PolledMonitor monitorOver(Path file, TestMonitorContext ctx) {
        return (PolledMonitor) factory.create(ctx);
    }

    private TestMonitorContext context(Path file) {
        return TestMonitorContext.forFactory(factory, Map.of("path", file.toString(), "cpus", 2, "high_per_cpu", 1.5));
    }

    @Test
    void emitsTheThreeAveragesAsMetrics() throws Exception {
        Path file = write("0.50 0.75 1.00 1/100 4242");
        TestMonitorContext ctx = context(file);
        monitorOver(file, ctx).poll();

        assertEquals(List.of("example.load1", "example.load5", "example.load15"),
                ctx.samples().stream().map(s -> s.name()).toList());
        assertEquals(0.75, ctx.samples().get(1).value());
        assertEquals("test-host", ctx.samples().get(1).labels().get("host"));
        assertEquals(List.of(), ctx.events());
    }

    @Test
    void raisesHighOnceWhileLoadStaysHighThenNormalWhenItDrops() throws Exception {
        Path file = write("9.00 4.00 2.00 1/100 4242");
        TestMonitorContext ctx = context(file);
        PolledMonitor monitor = monitorOver(file, ctx);

        monitor.poll();
        monitor.poll();
        Files.writeString(file, "0.10 0.20 0.30 1/100 4242");
        monitor.poll();

        List<Event> events = ctx.events();
        assertEquals(List.of("example.load.high", "example.load.normal"), events.stream().map(Event::type).toList());
        assertEquals(Severity.MEDIUM, events.get(0).severity());
        assertEquals(2.0, events.get(0).attributes().get("per_cpu"));
        assertEquals(events.get(0).fingerprint(), events.get(1).fingerprint());
    }

    @Test
    void aRestartDuringHighLoadDoesNotRaiseAgain() throws Exception {
        Path file = write("9.00 4.00 2.00 1/100 4242");
        TestMonitorContext ctx = context(file);
        monitorOver(file, ctx).poll();
        monitorOver(file, ctx).poll();

        assertEquals(1, ctx.events().size());
    }

    @Test
    void aFileInAnotherFormatFailsThePollWithTheReason() throws Exception {
        Path file = write("garbage");
        IOException e = assertThrows(IOException.class, () -> monitorOver(file, context(file)).poll());
        assertEquals(file + " does not look like /proc/loadavg: \"garbage\"", e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("loadavg");
        Files.writeString(file, content);
        return file;
    }
}

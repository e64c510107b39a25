package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.api.InvalidOptionsException;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilesystemSettingsTest {

    private final FilesystemMonitorFactory factory = new FilesystemMonitorFactory();

    @Test
    void onlyPathsIsRequiredAndTheDefaultsAreTheDocumentedOnes() {
        FilesystemSettings s = FilesystemSettings.from(
                TestMonitorContext.forFactory(factory, Map.of("paths", List.of("/etc"))).options());
        assertEquals(List.of(Path.of("/etc")), s.scope().roots());
        assertEquals(Duration.ofMillis(250), s.debounce());
        assertEquals(Duration.ofSeconds(5), s.maxDelay());
        assertEquals(Duration.ofMinutes(10), s.rescanInterval());
        assertEquals(100, s.maxEventsPerBatch());
        assertEquals(104_857_600L, s.maxHashBytes());
    }

    @Test
    void withoutPathsTheAgentRefusesTheConfiguration() {
        InvalidOptionsException e = assertThrows(InvalidOptionsException.class,
                () -> TestMonitorContext.forFactory(factory, Map.of()));
        assertEquals("paths", e.problems().get(0).option());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsOption() {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of(
                "paths", List.of("etc"),
                "exclude", List.of("[unclosed"),
                "debounce", "2s",
                "max_delay", "1s",
                "default_severity", "urgent",
                "max_events_per_batch", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
        assertEquals("paths: \"etc\" is relative; give an absolute path such as /etc; "
                + "exclude: glob \"[unclosed\" is not valid: Missing ']; "
                + "max_delay: 1s is shorter than debounce 2s; "
                + "max_events_per_batch: must be at least 1, got 0; "
                + "default_severity: unknown severity \"urgent\": expected one of info, low, medium, high, critical",
                e.getMessage());
    }
}

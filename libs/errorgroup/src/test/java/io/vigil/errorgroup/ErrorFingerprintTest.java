package io.vigil.errorgroup;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorFingerprintTest {

    private static final String STACK_BUILD_1 = """
            java.lang.IllegalStateException: row 42 of batch 7f3a9c00 failed
            \tat io.vigil.plugin.disk.DiskMonitor.poll(DiskMonitor.java:88)
            \tat io.vigil.agent.schedule.MonitorScheduler.lambda$schedule$3(MonitorScheduler.java:181)
            \tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)
            \tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)
            \tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)
            \tat java.base/java.lang.Thread.run(Thread.java:1583)
            """;

    // the next build: other line numbers, another lambda number, another message id
    private static final String STACK_BUILD_2 = """
            java.lang.IllegalStateException: row 43 of batch 99aa0c11 failed
            \tat io.vigil.plugin.disk.DiskMonitor.poll(DiskMonitor.java:91)
            \tat io.vigil.agent.schedule.MonitorScheduler.lambda$schedule$5(MonitorScheduler.java:190)
            \tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:320)
            \tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1150)
            \tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:650)
            \tat java.base/java.lang.Thread.run(Thread.java:1600)
            """;

    @Test
    void sameErrorWithOtherLineNumbersLambdaNumbersAndIdsHasTheSameFingerprint() {
        assertEquals(ErrorFingerprint.of("monitor:disk", "java.lang.IllegalStateException", STACK_BUILD_1, "row 42"),
                ErrorFingerprint.of("monitor:disk", "java.lang.IllegalStateException", STACK_BUILD_2, "row 43"));
    }

    @Test
    void aDifferentTopFrameIsADifferentFingerprint() {
        String otherPlace = STACK_BUILD_1.replace("DiskMonitor.poll(", "DiskMonitor.open(");
        assertNotEquals(ErrorFingerprint.of("monitor:disk", "java.lang.IllegalStateException", STACK_BUILD_1, null),
                ErrorFingerprint.of("monitor:disk", "java.lang.IllegalStateException", otherPlace, null));
    }

    @Test
    void componentAndExceptionTypeArePartOfTheFingerprint() {
        String base = ErrorFingerprint.of("monitor:disk", "java.lang.IllegalStateException", STACK_BUILD_1, null);
        assertNotEquals(base, ErrorFingerprint.of("monitor:cpu", "java.lang.IllegalStateException", STACK_BUILD_1, null));
        assertNotEquals(base, ErrorFingerprint.of("monitor:disk", "java.io.IOException", STACK_BUILD_1, null));
    }

    @Test
    void onlyTheTopFiveFramesCount() {
        String deeper = STACK_BUILD_1.replace("java.lang.Thread.run(", "java.lang.VirtualThread.run(");
        assertEquals(ErrorFingerprint.of("c", "E", STACK_BUILD_1, null), ErrorFingerprint.of("c", "E", deeper, null));
    }

    @Test
    void framesAreClassDotMethodWithoutModuleLineOrLambdaNumber() {
        assertEquals(List.of("io.vigil.plugin.disk.DiskMonitor.poll",
                        "io.vigil.agent.schedule.MonitorScheduler.lambda$schedule",
                        "java.util.concurrent.FutureTask.run"),
                ErrorFingerprint.topFrames(STACK_BUILD_1, 3));
    }

    @Test
    void framesOfACauseAreNotTheOutermostExceptionsFrames() {
        String stack = """
                java.lang.RuntimeException: wrapped
                \tat a.B.c(B.java:1)
                Caused by: java.io.IOException: closed
                \tat x.Y.z(Y.java:2)
                """;
        assertEquals(List.of("a.B.c"), ErrorFingerprint.topFrames(stack, 5));
    }

    @Test
    void withoutAStackTheNormalisedMessageIdentifiesTheError() {
        String a = ErrorFingerprint.of("ship", null, null,
                "cannot reach 10.0.0.7:8443 for batch 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 after 3 tries");
        String b = ErrorFingerprint.of("ship", null, "", 
                "cannot reach 10.0.0.9:443 for batch 7f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f9 after 12 tries");
        String other = ErrorFingerprint.of("ship", null, null, "token refused by 10.0.0.7:8443");
        assertEquals(a, b);
        assertNotEquals(a, other);
    }

    @Test
    void normalisingReplacesIdsNumbersQuotedValuesAndAddresses() {
        assertEquals("user <str> (id <n>) from <ip> object <hex> at <hex> request <uuid> on db:<port> took <n> ms",
                ErrorFingerprint.normaliseMessage("user 'alice' (id 1234) from 192.168.1.20:51234 object 0x7f3a "
                        + "at deadbeef01 request 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 on db:5432 took 12.5   ms"));
    }

    @Test
    void fingerprintIs32HexDigits() {
        assertTrue(ErrorFingerprint.of("c", null, null, "m").matches("[0-9a-f]{32}"));
    }

    @Test
    void boundedTextsSayHowMuchWasCut() {
        String cut = ErrorText.message("x".repeat(5000));
        assertEquals(ErrorText.MAX_MESSAGE, cut.length());
        assertTrue(cut.endsWith("… [truncated 5000 chars]"), cut.substring(cut.length() - 40));
        assertEquals("short", ErrorText.message("short"));
        assertTrue(ErrorText.stackOf(new IllegalStateException("boom")).startsWith("java.lang.IllegalStateException: boom"));
    }
}

package io.vigil.plugin.endpoint;

import static io.vigil.plugin.endpoint.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tcp monitor against servers on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpEndpointTest {

    private static MonitorRun monitor(LoopbackServer server, Object... options) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("address", server.address(), "timeout", "2s"));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(new TcpMonitorFactory(), all);
    }

    @Test
    void aServerThatGoesDownAndComesBackGivesExactlyOneDownAndOneUpAfterDamping() throws Exception {
        try (LoopbackServer server = LoopbackServer.accepting()) {
            MonitorRun run = monitor(server);
            assertEquals(List.of(), run.poll(2));

            server.stop();
            assertEquals(List.of(), run.poll(2), "two failures: not yet down");
            List<Event> down = run.poll();
            assertEquals(List.of("endpoint.down high"), summary(down));
            assertEquals(List.of(), run.poll(2), "still down: nothing new");

            server.start();
            List<Event> up = run.poll();
            assertEquals(List.of("endpoint.up info"), summary(up));
            assertEquals(List.of(), run.poll(2));

            Event d = down.get(0);
            assertEquals("tcp://" + server.address(), d.subject());
            assertEquals("connect", d.attributes().get("phase"));
            assertEquals("connection refused by " + server.address() + " (is anything listening there?)",
                    d.attributes().get("reason"));
            assertEquals(3, d.attributes().get("consecutive_failures"));
            assertEquals("tcp://" + server.address() + " is down: connection refused by " + server.address()
                    + " (is anything listening there?) (3 failed checks in a row)", d.title());
            assertEquals(d.fingerprint(), up.get(0).fingerprint());
            assertEquals(List.of(1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0), run.upHistory());
        }
    }

    @Test
    void failuresShorterThanTheDampingRaiseNothing() throws Exception {
        try (LoopbackServer server = LoopbackServer.accepting()) {
            MonitorRun run = monitor(server);
            for (int i = 0; i < 3; i++) {
                run.poll();
                server.stop();
                run.poll(2);
                server.start();
            }
            run.poll();
            assertEquals(List.of(), run.ctx.events());
        }
    }

    @Test
    void anAgentRestartDuringAnOutageDoesNotRepeatDown() throws Exception {
        try (LoopbackServer server = LoopbackServer.accepting()) {
            MonitorRun run = monitor(server, "failures_before_down", 1);
            server.stop();
            assertEquals(List.of("endpoint.down high"), summary(run.poll()));
            run.restart();
            assertEquals(List.of(), run.poll(2));
            server.start();
            assertEquals(List.of("endpoint.up info"), summary(run.poll()));
        }
    }

    @Test
    void upNeedsTheConfiguredGoodChecksInARowAndDownTheConfiguredSeverity() throws Exception {
        try (LoopbackServer server = LoopbackServer.accepting()) {
            MonitorRun run = monitor(server, "failures_before_down", 1, "successes_before_up", 2,
                    "down_severity", "critical");
            server.stop();
            List<Event> down = run.poll();
            assertEquals(Severity.CRITICAL, down.get(0).severity());
            server.start();
            assertEquals(List.of(), run.poll(), "one good check of two");
            assertEquals(List.of("endpoint.up info"), summary(run.poll()));
        }
    }

    @Test
    void sendAndExpectCheckTheAnswerAndAWrongAnswerIsAFailure() throws Exception {
        try (LoopbackServer redis = new LoopbackServer(s -> answer(s, "+PONG\r\n"));
             LoopbackServer wrong = new LoopbackServer(s -> answer(s, "-ERR unknown command\r\n"))) {
            MonitorRun good = monitor(redis, "send", "PING\r\n", "expect", "+PONG");
            assertEquals(List.of(), good.poll());
            assertEquals(1.0, good.value("endpoint.up"));
            assertTrue(good.value("endpoint.tcp.response_time") > 0);

            MonitorRun bad = monitor(wrong, "send", "PING\r\n", "expect", "+PONG", "failures_before_down", 1);
            Event down = bad.poll().get(0);
            assertEquals("expect", down.attributes().get("phase"));
            assertEquals("the answer does not contain \"+PONG\"; it was \"-ERR unknown command\\r\\n\"",
                    down.attributes().get("reason"));
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        try (LoopbackServer silent = new LoopbackServer(s -> sleep(5000))) {
            MonitorRun run = monitor(silent, "expect", "220", "timeout", "300ms", "failures_before_down", 1);
            long started = System.nanoTime();
            Event down = run.poll().get(0);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 250 && millis < 2000, millis + " ms");
            assertEquals("no answer from " + silent.address() + " within the timeout of 300ms (the answer)",
                    down.attributes().get("reason"));
        }
    }

    @Test
    void eachCheckReportsItsConnectTime() throws Exception {
        try (LoopbackServer server = LoopbackServer.accepting()) {
            MonitorRun run = monitor(server);
            run.poll();
            assertEquals(List.of("endpoint.up", "endpoint.connect_time"), run.sampleNames());
            assertTrue(run.value("endpoint.connect_time") > 0 && run.value("endpoint.connect_time") < 2);
            assertEquals("tcp://" + server.address(), run.ctx.samples().get(0).labels().get("endpoint"));
        }
    }

    private static void answer(Socket s, String reply) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            s.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            in.read();
        } catch (java.io.IOException ignored) {
            // client closed
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

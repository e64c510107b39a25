package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.testkit.PluginDocs;
import io.vigil.testkit.TestMonitorContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Options: declared once, documented from the declaration, checked before anything connects. */
class DockerOptionsTest {

    @Test
    void readmeAndSampleMatchTheDeclaredOptions() throws Exception {
        List<String> problems = new java.util.ArrayList<>(PluginDocs.problems(Path.of("."), List.of(new DockerMonitorFactory())));
        // PluginDocs reads a README default as one scalar, so list defaults ([a, b]) are compared here, as YAML
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        for (OptionSpec spec : new DockerMonitorFactory().options()) {
            if (spec.type() != OptionType.STRING_LIST || spec.defaultValue() == null) {
                continue;
            }
            java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                    "\\| `" + spec.name() + "` \\| string_list \\| `(\\[[^`]*])` \\|").matcher(readme);
            assertTrue(row.find(), "README row of " + spec.name());
            assertEquals(spec.defaultValue(), spec.type().parse(new org.yaml.snakeyaml.Yaml().load(row.group(1))),
                    "README default of " + spec.name());
            problems.removeIf(p -> p.startsWith("README.md gives kind containers option " + spec.name() + " default "));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyInvalidOptionIsReportedInOneMessage() {
        TestMonitorContext ctx = TestMonitorContext.forFactory(new DockerMonitorFactory(), Map.of(
                "host", "http://docker:2375", "api_version", "latest", "restart_loop_count", 0,
                "database_ports", List.of("5432", "pg"), "metrics_interval", "1s", "tls_verify", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DockerMonitorFactory().create(ctx));
        assertEquals("host: expected unix:///path or tcp://host:port, got \"http://docker:2375\"; "
                + "api_version: expected a version like 1.41 or auto, got \"latest\"; "
                + "tls_verify: TLS applies to a tcp:// host, host is http://docker:2375; "
                + "tls_cert_path: required when tls_verify is true (a directory with ca.pem, cert.pem, key.pem); "
                + "database_ports: \"pg\" is not a port number; "
                + "restart_loop_count: must be at least 1, got 0; "
                + "metrics_interval: one sample takes about a second per container; use 5s or more, or 0s for off",
                e.getMessage());
    }

    @Test
    void defaultsFollowTheLocalSocketWithApi141AndMetricsOff() {
        DockerSettings s = DockerSettings.of(TestMonitorContext.forFactory(new DockerMonitorFactory(), Map.of()).options());
        assertEquals("unix:///var/run/docker.sock", s.host().toString());
        assertEquals("1.41", s.apiVersion());
        assertEquals(false, s.metricsEnabled());
        assertEquals(3, s.restartLoopCount());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void apiVersionAutoSpeaksTheVersionTheEngineReports() throws Exception {
        try (TestEngine engine = TestEngine.connect();
             MonitorRun run = MonitorRun.start(MonitorRun.context(Map.of("api_version", "auto")))) {
            String reported = engine.docker.versionCmd().exec().getApiVersion();
            Event inventory = run.ofType("docker.inventory").get(0);
            assertEquals(reported, ((Map<?, ?>) inventory.attributes().get("engine")).get("api_version"));
        }
    }
}

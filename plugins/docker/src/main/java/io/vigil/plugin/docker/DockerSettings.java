package io.vigil.plugin.docker;

import io.vigil.api.Options;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor's options, read once and checked beyond what their types say. Problems are
 * reported together in one {@link IllegalArgumentException} naming each option.
 */
record DockerSettings(URI host, String apiVersion, boolean tlsVerify, Path tlsCertPath, List<String> includeNames,
                      List<String> includeLabels, Duration stopCorrelationWindow, int restartLoopCount,
                      Duration restartLoopWindow, List<String> databaseImages, List<Integer> databasePorts,
                      List<String> databaseEnvPrefixes, List<String> databaseLabels, Duration metricsInterval,
                      int metricsConcurrency) {

    static DockerSettings of(Options o) {
        List<String> problems = new ArrayList<>();
        URI host = null;
        try {
            host = URI.create(o.string("host").trim());
            if (!"unix".equals(host.getScheme()) && !"tcp".equals(host.getScheme())) {
                problems.add("host: expected unix:///path or tcp://host:port, got \"" + o.string("host") + "\"");
            }
        } catch (IllegalArgumentException e) {
            problems.add("host: \"" + o.string("host") + "\" is not an address: " + e.getMessage());
        }
        String api = o.string("api_version").trim();
        if (!api.equals("auto") && !api.matches("1\\.\\d{1,2}")) {
            problems.add("api_version: expected a version like 1.41 or auto, got \"" + api + "\"");
        }
        boolean tls = o.bool("tls_verify");
        Path certs = o.isSet("tls_cert_path") ? Path.of(o.string("tls_cert_path")) : null;
        if (tls) {
            if (host != null && !"tcp".equals(host.getScheme())) {
                problems.add("tls_verify: TLS applies to a tcp:// host, host is " + host);
            }
            if (certs == null) {
                problems.add("tls_cert_path: required when tls_verify is true (a directory with ca.pem, cert.pem, key.pem)");
            } else {
                for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
                    if (!Files.isReadable(certs.resolve(file))) {
                        problems.add("tls_cert_path: " + certs.resolve(file) + " is missing or unreadable");
                    }
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : o.list("database_ports")) {
            try {
                ports.add(Integer.valueOf(p.trim()));
            } catch (NumberFormatException e) {
                problems.add("database_ports: \"" + p + "\" is not a port number");
            }
        }
        long loopCount = o.integer("restart_loop_count");
        if (loopCount < 1) {
            problems.add("restart_loop_count: must be at least 1, got " + loopCount);
        }
        Duration window = o.duration("restart_loop_window");
        if (window.isZero() || window.isNegative()) {
            problems.add("restart_loop_window: must be longer than 0s");
        }
        Duration metrics = o.duration("metrics_interval");
        if (!metrics.isZero() && metrics.compareTo(Duration.ofSeconds(5)) < 0) {
            problems.add("metrics_interval: one sample takes about a second per container; use 5s or more, or 0s for off");
        }
        long concurrency = o.integer("metrics_concurrency");
        if (concurrency < 1 || concurrency > 64) {
            problems.add("metrics_concurrency: expected 1 to 64, got " + concurrency);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DockerSettings(host, api, tls, certs, o.list("include_names"), o.list("include_labels"),
                o.duration("stop_correlation_window"), (int) loopCount, window, o.list("database_images"), ports,
                o.list("database_env_prefixes"), o.list("database_labels"), metrics, (int) concurrency);
    }

    boolean metricsEnabled() {
        return !metricsInterval.isZero();
    }
}

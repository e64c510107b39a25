package io.vigil.plugin.endpoint;

import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.plugin.endpoint.health.CertificateTracker;
import io.vigil.plugin.endpoint.health.HealthTracker;
import io.vigil.plugin.endpoint.probe.Deadline;
import io.vigil.plugin.endpoint.probe.Probe;
import io.vigil.plugin.endpoint.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Checks one endpoint every interval: runs its {@link Probe} within the timeout, emits the
 * timings, and lets the {@link HealthTracker} and (for TLS) the {@link CertificateTracker} turn
 * the result into events on change only.
 *
 * <h2>One monitor per endpoint</h2>
 * Each endpoint is its own entry in the agent's configuration, so the agent gives it its own
 * interval, run timeout, overlap handling, failure counting and state store, and a slow or
 * hanging endpoint cannot delay another. See the README for the reasoning.
 *
 * <p>Threading: {@link #poll()} on an agent worker, never concurrently with itself. A check never
 * throws for what the endpoint does; it is bounded by the {@code timeout} option.
 */
final class EndpointMonitor implements PolledMonitor {

    private final MonitorContext ctx;
    private final String kind;
    private final Probe probe;
    private final Duration timeout;
    private final HealthTracker health;
    private final CertificateTracker certificates;
    private final Map<String, String> labels;

    /** @param certificates the certificate tracker, or {@code null} for plain TCP and HTTP */
    EndpointMonitor(MonitorContext ctx, String kind, Probe probe, Duration timeout, HealthTracker health,
                    CertificateTracker certificates) {
        this.ctx = ctx;
        this.kind = kind;
        this.probe = probe;
        this.timeout = timeout;
        this.health = health;
        this.certificates = certificates;
        this.labels = Map.of("endpoint", probe.endpoint());
    }

    @Override
    public void poll() {
        ProbeResult r = probe.run(Deadline.after(timeout));
        Instant now = ctx.clock().instant();
        metric("endpoint.up", r.ok() ? 1 : 0, "", now);
        if (r.connectSeconds() != null) {
            metric("endpoint.connect_time", r.connectSeconds(), "seconds", now);
        }
        if (r.handshakeSeconds() != null) {
            metric("endpoint.tls.handshake_time", r.handshakeSeconds(), "seconds", now);
        }
        if (r.responseSeconds() != null) {
            metric(kind.equals("tcp") ? "endpoint.tcp.response_time" : "endpoint.http.response_time",
                    r.responseSeconds(), "seconds", now);
        }
        if (r.status() != null) {
            metric("endpoint.http.status", r.status(), "", now);
        }
        if (r.tls() != null && certificates != null) {
            metric("endpoint.tls.days_to_expiry", r.tls().verdict().daysToExpiry(now), "days", now);
            certificates.record(r.tls(), now);
        }
        health.record(r, now);
        if (!r.ok()) {
            ctx.logger().debug("{} check failed at {}: {}", probe.endpoint(), r.phase(), r.reason());
        }
    }

    private void metric(String name, double value, String unit, Instant now) {
        ctx.emitter().emit(new MetricSample(name, value, unit, labels, now));
    }
}

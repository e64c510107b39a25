package io.vigil.plugin.endpoint;

import io.vigil.api.MonitorContext;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.api.Severity;
import io.vigil.plugin.endpoint.health.CertificateTracker;
import io.vigil.plugin.endpoint.health.HealthTracker;
import io.vigil.plugin.endpoint.tls.CertificateInspector;
import io.vigil.plugin.endpoint.tls.TrustAnchors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options the three kinds share, declared once: the check's time budget and flap damping for
 * all, trust and expiry for the two that speak TLS.
 */
final class EndpointOptions {

    private EndpointOptions() {
    }

    /** Timeout and damping, for every kind. */
    static List<OptionSpec> health() {
        return List.of(
                OptionSpec.of("timeout", OptionType.DURATION, "Longest one check may take, connect, handshake, "
                        + "request and response together").withDefault("5s"),
                OptionSpec.of("failures_before_down", OptionType.INTEGER,
                        "Failed checks in a row before endpoint.down is raised").withDefault(3),
                OptionSpec.of("successes_before_up", OptionType.INTEGER,
                        "Good checks in a row, once down, before endpoint.up is raised").withDefault(1),
                OptionSpec.of("down_severity", OptionType.STRING, "Severity of endpoint.down").withDefault("high"));
    }

    /** Trust store, host name check and expiry thresholds, for tls and http. */
    static List<OptionSpec> tls() {
        return List.of(
                OptionSpec.of("trust_store", OptionType.STRING, "PEM bundle, JKS or PKCS12 file of the certificates to "
                        + "trust; when unset, the JVM's trust store"),
                OptionSpec.of("trust_store_password", OptionType.STRING,
                        "Password of a JKS or PKCS12 trust store; write ${env:NAME} or ${file:/path}").asSecret(),
                OptionSpec.of("verify_hostname", OptionType.BOOLEAN,
                        "Count a certificate for another host name as invalid").withDefault(true),
                OptionSpec.of("expiry_warning_days", OptionType.INTEGER,
                        "Days before expiry at which tls.certificate_expiring (medium) is raised").withDefault(30),
                OptionSpec.of("expiry_critical_days", OptionType.INTEGER,
                        "Days before expiry at which tls.certificate_expiring (critical) is raised").withDefault(7));
    }

    @SafeVarargs
    static List<OptionSpec> concat(List<OptionSpec> first, List<OptionSpec>... more) {
        List<OptionSpec> all = new ArrayList<>(first);
        for (List<OptionSpec> m : more) {
            all.addAll(m);
        }
        return List.copyOf(all);
    }

    static Duration timeout(Options o) {
        Duration d = o.duration("timeout");
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("timeout must be more than 0, got " + d);
        }
        return d;
    }

    static HealthTracker healthTracker(MonitorContext ctx, String endpoint, String kind) {
        Options o = ctx.options();
        long failures = o.integer("failures_before_down");
        long successes = o.integer("successes_before_up");
        if (failures < 1 || failures > 1000) {
            throw new IllegalArgumentException("failures_before_down must be between 1 and 1000, got " + failures);
        }
        if (successes < 1 || successes > 1000) {
            throw new IllegalArgumentException("successes_before_up must be between 1 and 1000, got " + successes);
        }
        return new HealthTracker(ctx.state(), endpoint, kind, (int) failures, (int) successes,
                Severity.parse(o.string("down_severity")), ctx.emitter()::emit);
    }

    static CertificateInspector inspector(Options o) {
        TrustAnchors trust = o.isSet("trust_store")
                ? TrustAnchors.load(Path.of(o.string("trust_store")),
                        o.isSet("trust_store_password") ? o.string("trust_store_password") : null)
                : TrustAnchors.jvm();
        return new CertificateInspector(trust, o.bool("verify_hostname"));
    }

    static CertificateTracker certificateTracker(MonitorContext ctx, String endpoint) {
        Options o = ctx.options();
        long warning = o.integer("expiry_warning_days");
        long critical = o.integer("expiry_critical_days");
        if (critical < 0 || warning < critical || warning > 3650) {
            throw new IllegalArgumentException("expected 0 <= expiry_critical_days <= expiry_warning_days <= 3650, got "
                    + critical + " and " + warning);
        }
        return new CertificateTracker(ctx.state(), endpoint, (int) warning, (int) critical, ctx.emitter()::emit);
    }
}

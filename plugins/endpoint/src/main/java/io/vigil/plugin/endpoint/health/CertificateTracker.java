package io.vigil.plugin.endpoint.health;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.api.StateStore;
import io.vigil.plugin.endpoint.probe.ProbeResult;
import io.vigil.plugin.endpoint.tls.CertificateVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The certificate's two states, each reported on change only:
 * <ul>
 *   <li>expiry: {@code tls.certificate_expiring} when the leaf comes within {@code warningDays}
 *   (medium) or {@code criticalDays} (critical) of its end, again when it moves between the two,
 *   and {@code tls.certificate_renewed} when a certificate with more time replaces it. An already
 *   expired certificate changes nothing here: it is {@code invalid};</li>
 *   <li>validity: {@code tls.certificate_invalid} (high) when it is expired, not yet valid, for
 *   another host or untrusted, again when the set of problems changes, and
 *   {@code tls.certificate_valid} when nothing is wrong any more.</li>
 * </ul>
 * Each pair shares one fingerprint. State is in the {@link StateStore}; each event goes to the
 * sink before the state moves. Not thread-safe.
 */
public final class CertificateTracker {

    static final String EXPIRY = "cert.expiry";
    static final String INVALID = "cert.invalid";

    private final StateStore state;
    private final String endpoint;
    private final int warningDays;
    private final int criticalDays;
    private final Consumer<Event> sink;

    /**
     * A tracker for {@code endpoint} with these thresholds in days ({@code criticalDays <= warningDays}),
     * emitting to {@code sink}.
     */
    public CertificateTracker(StateStore state, String endpoint, int warningDays, int criticalDays,
                              Consumer<Event> sink) {
        this.state = state;
        this.sink = sink;
        this.endpoint = endpoint;
        this.warningDays = warningDays;
        this.criticalDays = criticalDays;
    }

    /** Emits and returns the events the certificate seen in {@code facts} causes. */
    public List<Event> record(ProbeResult.TlsFacts facts, Instant now) {
        List<Event> events = new ArrayList<>();
        CertificateVerdict v = facts.verdict();
        double days = v.daysToExpiry(now);

        String codes = String.join(",", v.codes());
        String invalidBefore = state.get(INVALID).orElse("");
        if (!v.valid() && !codes.equals(invalidBefore)) {
            emit(events, base("tls.certificate_invalid", Severity.HIGH, facts, days, now, "validity")
                    .title("TLS certificate of " + endpoint + " is not valid: " + v.problems().get(0).message()
                            + (v.problems().size() > 1 ? " (and " + (v.problems().size() - 1) + " more)" : ""))
                    .attribute("problems", v.problems().stream()
                            .map(p -> Map.<String, Object>of("code", p.code(), "message", p.message())).toList())
                    .build());
            state.put(INVALID, codes);
        } else if (v.valid() && !invalidBefore.isEmpty()) {
            emit(events, base("tls.certificate_valid", Severity.INFO, facts, days, now, "validity")
                    .title("TLS certificate of " + endpoint + " is valid again")
                    .attribute("previous_problems", List.of(invalidBefore.split(",")))
                    .build());
            state.remove(INVALID);
        }

        if (days > 0) {
            String level = days <= criticalDays ? "critical" : days <= warningDays ? "warning" : "none";
            String before = state.get(EXPIRY).orElse("none");
            if (!level.equals(before)) {
                if (level.equals("none")) {
                    emit(events, base("tls.certificate_renewed", Severity.INFO, facts, days, now, "expiry")
                            .title("TLS certificate of " + endpoint + " was renewed: it expires in "
                                    + String.format(Locale.ROOT, "%.0f", Math.floor(days)) + " days")
                            .attribute("previous_level", before)
                            .build());
                    state.remove(EXPIRY);
                } else {
                    boolean critical = level.equals("critical");
                    emit(events, base("tls.certificate_expiring", critical ? Severity.CRITICAL : Severity.MEDIUM, facts,
                            days, now, "expiry")
                            .title("TLS certificate of " + endpoint + " expires in " + human(days) + " (at "
                                    + v.leaf().getNotAfter().toInstant() + ")")
                            .attribute("level", level)
                            .attribute("threshold_days", critical ? criticalDays : warningDays)
                            .attribute("previous_level", before)
                            .build());
                    state.put(EXPIRY, level);
                }
            }
        }
        return events;
    }

    private void emit(List<Event> events, Event event) {
        sink.accept(event);
        events.add(event);
    }

    private Event.Builder base(String type, Severity severity, ProbeResult.TlsFacts facts, double days, Instant now,
                               String aspect) {
        return Event.builder(type)
                .severity(severity)
                .time(now)
                .subject(endpoint)
                .fingerprint("endpoint:" + endpoint + ":tls." + aspect)
                .attribute("endpoint", endpoint)
                .attribute("server_name", facts.verdict().host())
                .attribute("days_to_expiry", Math.round(days * 100) / 100.0)
                .attributes(facts.verdict().describeLeaf())
                .attribute("protocol", facts.protocol())
                .attribute("cipher", facts.cipher())
                .attribute("trust_store", facts.verdict().trust());
    }

    private static String human(double days) {
        if (days >= 2) {
            return String.format(Locale.ROOT, "%.0f days", Math.floor(days));
        }
        return String.format(Locale.ROOT, "%.0f hours", Math.floor(days * 24));
    }
}

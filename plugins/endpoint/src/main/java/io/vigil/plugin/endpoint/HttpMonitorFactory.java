package io.vigil.plugin.endpoint;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.plugin.endpoint.http.StatusSet;
import io.vigil.plugin.endpoint.probe.HttpProbe;
import io.vigil.plugin.endpoint.tls.TlsHandshake;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pf4j.Extension;

/** Declares the {@code http} monitor: one URL, its status, latency, optional body match and (HTTPS) certificate. */
@Extension
public final class HttpMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public String description() {
        return "Requests an http(s) URL and checks status, latency, body and certificate, with endpoint.down/up "
                + "on change";
    }

    @Override
    public List<OptionSpec> options() {
        return EndpointOptions.concat(List.of(
                OptionSpec.of("url", OptionType.STRING, "http:// or https:// URL to request").asRequired(),
                OptionSpec.of("method", OptionType.STRING, "GET or HEAD").withDefault("GET"),
                OptionSpec.of("expected_status", OptionType.STRING,
                        "Statuses that count as up, as codes and ranges such as 200-299,301").withDefault("200-399"),
                OptionSpec.of("body_match", OptionType.STRING,
                        "Regular expression the body (its first MiB) must contain a match of"),
                OptionSpec.of("verify_certificate", OptionType.BOOLEAN, "Count an HTTPS certificate that is expired, "
                        + "untrusted or for another host as a failed check, as a browser would").withDefault(true)),
                EndpointOptions.tls(), EndpointOptions.health());
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Monitor create(MonitorContext context) {
        Options o = context.options();
        URI url = HttpProbe.validate(o.string("url"));
        String method = o.string("method").toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("method must be GET or HEAD, got " + o.string("method"));
        }
        Pattern body = null;
        if (o.isSet("body_match")) {
            if (method.equals("HEAD")) {
                throw new IllegalArgumentException("body_match needs method GET: a HEAD response has no body");
            }
            try {
                body = Pattern.compile(o.string("body_match"));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("body_match is not a regular expression: " + e.getDescription());
            }
        }
        boolean https = url.getScheme().equalsIgnoreCase("https");
        HttpProbe probe = new HttpProbe(url, method, StatusSet.parse(o.string("expected_status")), body,
                o.bool("verify_certificate"), new TlsHandshake(), https ? EndpointOptions.inspector(o) : null,
                context.clock());
        return new EndpointMonitor(context, kind(), probe, EndpointOptions.timeout(o),
                EndpointOptions.healthTracker(context, probe.endpoint(), kind()),
                https ? EndpointOptions.certificateTracker(context, probe.endpoint()) : null);
    }
}

package io.vigil.plugin.endpoint;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.plugin.endpoint.probe.Address;
import io.vigil.plugin.endpoint.probe.TlsProbe;
import io.vigil.plugin.endpoint.tls.TlsHandshake;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code tls} monitor: handshake and certificate of one host:port. */
@Extension
public final class TlsMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "tls";
    }

    @Override
    public String description() {
        return "Shakes hands with host:port and reports the certificate's expiry, chain and host name, and "
                + "endpoint.down/up on change";
    }

    @Override
    public List<OptionSpec> options() {
        return EndpointOptions.concat(List.of(
                OptionSpec.of("address", OptionType.STRING, "host:port to connect to").asRequired(),
                OptionSpec.of("server_name", OptionType.STRING, "Name sent as SNI and checked against the "
                        + "certificate; when unset, the host of address")),
                EndpointOptions.tls(), EndpointOptions.health());
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(5);
    }

    @Override
    public Monitor create(MonitorContext context) {
        Options o = context.options();
        Address address = Address.parse(o.string("address"));
        String serverName = o.isSet("server_name") ? o.string("server_name") : address.host();
        TlsProbe probe = new TlsProbe(address, serverName, new TlsHandshake(), EndpointOptions.inspector(o),
                context.clock());
        return new EndpointMonitor(context, kind(), probe, EndpointOptions.timeout(o),
                EndpointOptions.healthTracker(context, probe.endpoint(), kind()),
                EndpointOptions.certificateTracker(context, probe.endpoint()));
    }
}

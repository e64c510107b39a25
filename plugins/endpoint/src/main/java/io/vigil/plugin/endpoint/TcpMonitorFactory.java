package io.vigil.plugin.endpoint;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.plugin.endpoint.probe.Address;
import io.vigil.plugin.endpoint.probe.TcpProbe;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code tcp} monitor: one host:port, connect and optionally a send/expect exchange. */
@Extension
public final class TcpMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "tcp";
    }

    @Override
    public String description() {
        return "Connects to host:port (optionally sends a text and expects one back) and raises endpoint.down/up "
                + "on change";
    }

    @Override
    public List<OptionSpec> options() {
        return EndpointOptions.concat(List.of(
                OptionSpec.of("address", OptionType.STRING, "host:port to connect to").asRequired(),
                OptionSpec.of("send", OptionType.STRING, "Text to send once connected"),
                OptionSpec.of("expect", OptionType.STRING,
                        "Text the answer must contain; when unset, a connection is enough")),
                EndpointOptions.health());
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Monitor create(MonitorContext context) {
        Options o = context.options();
        Address address = Address.parse(o.string("address"));
        TcpProbe probe = new TcpProbe(address, o.isSet("send") ? o.string("send") : null,
                o.isSet("expect") ? o.string("expect") : null);
        return new EndpointMonitor(context, kind(), probe, EndpointOptions.timeout(o),
                EndpointOptions.healthTracker(context, probe.endpoint(), kind()), null);
    }
}

package io.vigil.plugin.endpoint.probe;

import io.vigil.plugin.endpoint.tls.CertificateInspector;
import io.vigil.plugin.endpoint.tls.TlsHandshake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;

/**
 * Connects, shakes hands and judges the certificate. The check fails when the connection or the
 * handshake does (nothing listening, no TLS there, no protocol or cipher in common); a
 * certificate that is expired, untrusted or for another name does not fail it: that is reported
 * as {@code tls.certificate_invalid}, and its expiry is still measured.
 */
public final class TlsProbe implements Probe {

    private final Address address;
    private final String serverName;
    private final TlsHandshake handshake;
    private final CertificateInspector inspector;
    private final Clock clock;

    /** @param serverName sent as SNI and checked against the certificate */
    public TlsProbe(Address address, String serverName, TlsHandshake handshake, CertificateInspector inspector,
                    Clock clock) {
        this.address = address;
        this.serverName = serverName;
        this.handshake = handshake;
        this.inspector = inspector;
        this.clock = clock;
    }

    @Override
    public String endpoint() {
        return "tls://" + address;
    }

    @Override
    public ProbeResult run(Deadline deadline) {
        Double connect = null;
        long started = System.nanoTime();
        Socket plain = new Socket();
        try (plain) {
            plain.connect(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()),
                    deadline.remainingMillis("connect"));
            connect = (System.nanoTime() - started) / 1e9;
            long shaking = System.nanoTime();
            TlsHandshake.Session session = handshake.handshake(plain, address.host(), address.port(), serverName,
                    deadline.remainingMillis("the TLS handshake"));
            try (Socket ignored = session.socket()) {
                double seconds = (System.nanoTime() - shaking) / 1e9;
                return ProbeResult.ok(connect, seconds, null, null, new ProbeResult.TlsFacts(session.protocol(),
                        session.cipher(), inspector.inspect(session.chain(), serverName, clock.instant())));
            }
        } catch (IOException e) {
            return ProbeResult.failed(connect == null ? "connect" : "tls", Failures.describe(e, address, deadline),
                    connect, null, null, null, null);
        }
    }
}

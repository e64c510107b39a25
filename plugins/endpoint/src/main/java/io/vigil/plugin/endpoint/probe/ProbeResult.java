package io.vigil.plugin.endpoint.probe;

import io.vigil.plugin.endpoint.tls.CertificateVerdict;

/**
 * What one check found. Timings are {@code null} for the steps that did not happen.
 *
 * @param ok               whether the endpoint answered as expected
 * @param phase            where it failed ({@code connect}, {@code tls}, {@code request},
 *                         {@code status}, {@code body}, {@code expect}), or {@code null} when ok
 * @param reason           why it failed, one line; {@code null} when ok
 * @param connectSeconds   name resolution and TCP connect
 * @param handshakeSeconds TLS handshake
 * @param responseSeconds  request written to response read (HTTP), or send/expect exchange (TCP)
 * @param status           the HTTP status, when a response came
 * @param tls              the TLS session and the verdict on its certificate, when a handshake completed
 */
public record ProbeResult(boolean ok, String phase, String reason, Double connectSeconds, Double handshakeSeconds,
                          Double responseSeconds, Integer status, TlsFacts tls) {

    /**
     * A completed TLS handshake.
     *
     * @param protocol {@code TLSv1.3}, {@code TLSv1.2}
     * @param cipher   the cipher suite
     * @param verdict  the certificate chain judged against the trust store, the clock and the host
     */
    public record TlsFacts(String protocol, String cipher, CertificateVerdict verdict) {
    }

    /** A failure at {@code phase}, with what was measured before it. */
    public static ProbeResult failed(String phase, String reason, Double connect, Double handshake, Double response,
                                     Integer status, TlsFacts tls) {
        return new ProbeResult(false, phase, reason, connect, handshake, response, status, tls);
    }

    /** A success. */
    public static ProbeResult ok(Double connect, Double handshake, Double response, Integer status, TlsFacts tls) {
        return new ProbeResult(true, null, null, connect, handshake, response, status, tls);
    }
}

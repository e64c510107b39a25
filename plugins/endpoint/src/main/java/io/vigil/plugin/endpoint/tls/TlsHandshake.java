package io.vigil.plugin.endpoint.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS client handshake over an already connected socket, so the TCP connect and the handshake
 * are timed apart. Sends SNI for a host name (not for an IP literal), leaves host name and chain
 * checks to {@link CertificateInspector}, and offers what the JVM enables (TLS 1.3 and 1.2 on a
 * current JDK).
 *
 * <p>Every handshake is a full one, in a TLS context of its own: a client that resumed an earlier
 * session would be shown the certificate of that session, not the one the server presents now,
 * and would miss a renewal (or a replacement by a wrong certificate) until its session expired.
 * A fresh context costs about half a millisecond once the JVM is warm. Thread-safe.
 */
public final class TlsHandshake {

    /** A handshake that accepts any chain for later inspection. */
    public TlsHandshake() {
        factory(); // fails at creation, not at the first check, on a JVM without TLS
    }

    private static SSLSocketFactory factory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new AcceptingTrustManager()}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM offers no TLS: " + e, e);
        }
    }

    /**
     * The completed handshake.
     *
     * @param socket   the TLS socket, for the request that follows
     * @param protocol {@code TLSv1.3}, ...
     * @param cipher   the cipher suite
     * @param chain    the server's certificates, leaf first
     */
    public record Session(SSLSocket socket, String protocol, String cipher, List<X509Certificate> chain) {
    }

    /**
     * Shakes hands over {@code connected}, which the returned socket then owns (closing it closes both).
     *
     * @param serverName the name sent as SNI, unless it is an IP literal
     * @param timeoutMillis limit for the handshake's reads
     */
    public Session handshake(Socket connected, String host, int port, String serverName, int timeoutMillis)
            throws IOException {
        SSLSocket ssl = (SSLSocket) factory().createSocket(connected, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        if (!io.vigil.plugin.endpoint.probe.Address.isIpLiteral(serverName)) {
            params.setServerNames(List.of(new SNIHostName(serverName)));
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(timeoutMillis);
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : session.getPeerCertificates()) {
            if (c instanceof X509Certificate x) {
                chain.add(x);
            }
        }
        return new Session(ssl, session.getProtocol(), session.getCipherSuite(), List.copyOf(chain));
    }
}

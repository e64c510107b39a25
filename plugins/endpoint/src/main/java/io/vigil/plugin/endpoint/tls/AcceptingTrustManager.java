package io.vigil.plugin.endpoint.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets every server certificate through the handshake. The chain is judged afterwards by
 * {@link CertificateInspector}, against the configured trust store and the monitor's clock, so
 * an expired, untrusted or misnamed certificate is reported with its reason (and its expiry date
 * still measured) instead of ending in an opaque handshake failure. An
 * {@link X509ExtendedTrustManager}, so the JDK does not wrap it with checks of its own.
 */
final class AcceptingTrustManager extends X509ExtendedTrustManager {

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // judged after the handshake
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // judged after the handshake
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // judged after the handshake
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("a client never checks clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("a client never checks clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("a client never checks clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

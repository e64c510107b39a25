package io.vigil.plugin.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A TLS server on 127.0.0.1 that can replace its certificate between checks the way a server
 * reloading its key does: the same TLS context (and so the same session cache, which would let a
 * client resume an earlier session), a new certificate. Completes each handshake, then waits for
 * the client to close.
 */
final class TlsTestServer implements AutoCloseable {

    private final LoopbackServer tcp;
    private final Keys keys;

    TlsTestServer(TestCertificates.Issued cert, TestCertificates.Issued ca) throws Exception {
        keys = new Keys(cert, ca);
        tcp = new LoopbackServer(this::serve);
    }

    /** Presents {@code cert} (signed by {@code ca}) from the next handshake on. */
    void use(TestCertificates.Issued cert, TestCertificates.Issued ca) throws Exception {
        keys.use(cert, ca);
    }

    String address() {
        return tcp.address();
    }

    static X509ExtendedKeyManager keyManager(TestCertificates.Issued cert, TestCertificates.Issued ca)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", cert.keys().getPrivate(), "x".toCharArray(), cert == ca
                ? new Certificate[] {cert.cert()} // self-signed: the chain is the certificate
                : new Certificate[] {cert.cert(), ca.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); // serves expired certificates too
        kmf.init(store, "x".toCharArray());
        return (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    }

    private void serve(Socket plain) {
        try (SSLSocket tls = (SSLSocket) keys.context().getSocketFactory().createSocket(plain, null, plain.getPort(), true)) {
            tls.setUseClientMode(false);
            tls.setSoTimeout(5000);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            while (in.read() >= 0) {
                // until the client closes
            }
        } catch (IOException ignored) {
            // the client closed or gave up on the handshake
        }
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    /**
     * One server TLS context whose certificate can be replaced: its key manager delegates to the
     * current one. For this server and for the JDK's HttpsServer.
     */
    static final class Keys {
        private final SSLContext context;
        private volatile X509ExtendedKeyManager current;

        Keys(TestCertificates.Issued cert, TestCertificates.Issued ca) throws Exception {
            current = keyManager(cert, ca);
            context = SSLContext.getInstance("TLS");
            context.init(new X509ExtendedKeyManager[] {new Swappable()}, null, null);
        }

        SSLContext context() {
            return context;
        }

        void use(TestCertificates.Issued cert, TestCertificates.Issued ca) throws Exception {
            current = keyManager(cert, ca);
        }

        private final class Swappable extends X509ExtendedKeyManager {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return current.getClientAliases(keyType, issuers);
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return current.chooseClientAlias(keyType, issuers, socket);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return current.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return current.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return current.chooseEngineServerAlias(keyType, issuers, engine);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return current.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return current.getPrivateKey(alias);
            }
        }
    }
}

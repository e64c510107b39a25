package io.vigil.plugin.endpoint.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a chain must lead to: a configured file (a PEM bundle such as
 * {@code /etc/ssl/certs/ca-certificates.crt}, or a JKS or PKCS#12 key store) or the JVM's own
 * trust store. Immutable.
 *
 * @param anchors     the trusted certificates
 * @param description where they came from, for messages
 */
public record TrustAnchors(Set<TrustAnchor> anchors, String description) {

    /** The JVM's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    public static TrustAnchors jvm() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            return new TrustAnchors(Collections.unmodifiableSet(anchors), "the JVM's trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a trust store file.
     *
     * @param password the key store's password, or {@code null} (PEM files have none)
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TrustAnchors load(Path file, String password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("trust store " + file + " cannot be read: " + e.getMessage());
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        try {
            if (new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        anchors.add(new TrustAnchor((X509Certificate) c, null));
                    }
                }
            } else {
                KeyStore store = KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
                for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    Certificate c = store.getCertificate(aliases.nextElement());
                    if (c instanceof X509Certificate x) {
                        anchors.add(new TrustAnchor(x, null));
                    }
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + file + " is neither a PEM bundle nor a JKS/PKCS12 key "
                    + "store it can open (" + e.getMessage() + "); check the file and trust_store_password");
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("trust store " + file + " holds no certificate");
        }
        return new TrustAnchors(Collections.unmodifiableSet(anchors), file.toString());
    }
}

package io.vigil.plugin.endpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test with BouncyCastle, with validity dates relative to the test
 * clock ({@link #NOW}, the {@code TestMonitorContext} start) so they never go stale: a CA, and
 * server certificates it signs for chosen names and dates. EC P-256 keys, which are quick to make.
 */
final class TestCertificates {

    /** Where every {@code TestMonitorContext} clock starts. */
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
    }

    private TestCertificates() {
    }

    /** A self-signed CA valid for ten years around {@link #NOW}. */
    static Issued ca(String commonName) throws Exception {
        KeyPair keys = keys();
        X500Name name = new X500Name("CN=" + commonName + ",O=Vigil tests");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(NOW.minus(Duration.ofDays(3650))),
                Date.from(NOW.plus(Duration.ofDays(3650))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(b, keys));
    }

    /**
     * A server certificate signed by {@code ca}, valid from 30 days before {@link #NOW} until
     * {@code daysLeft} days after it (negative: already expired), for {@code names}
     * ({@code dns:localhost}, {@code ip:127.0.0.1}).
     */
    static Issued server(Issued ca, double daysLeft, String... names) throws Exception {
        KeyPair keys = keys();
        Instant notAfter = NOW.plusSeconds((long) (daysLeft * 86_400));
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(),
                Date.from(NOW.minus(Duration.ofDays(30))), Date.from(notAfter),
                new X500Name("CN=" + (names.length > 0 ? names[0].substring(names[0].indexOf(':') + 1) : "server")),
                keys.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            String value = n.substring(n.indexOf(':') + 1);
            sans.add(n.startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, value)
                    : new GeneralName(GeneralName.dNSName, value));
        }
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new Issued(keys, signBy(b, ca.keys()));
    }

    /**
     * A self-signed server certificate (its own issuer, no CA), valid until {@code daysLeft} days
     * after {@link #NOW}, for {@code names}.
     */
    static Issued selfSigned(double daysLeft, String... names) throws Exception {
        KeyPair keys = keys();
        X500Name name = new X500Name("CN=" + names[0].substring(names[0].indexOf(':') + 1));
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(NOW.minus(Duration.ofDays(30))), Date.from(NOW.plusSeconds((long) (daysLeft * 86_400))),
                name, keys.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            String value = n.substring(n.indexOf(':') + 1);
            sans.add(n.startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, value)
                    : new GeneralName(GeneralName.dNSName, value));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        return new Issued(keys, signBy(b, keys));
    }

    /** A server-side TLS context presenting {@code server} and the chain up to {@code ca}. */
    static SSLContext serverContext(Issued server, Issued ca) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", server.keys().getPrivate(), "x".toCharArray(),
                new Certificate[] {server.cert(), ca.cert()});
        // SunX509 picks the key without looking at dates, so an expired certificate is still served
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Writes {@code certs} as a PEM bundle. */
    static Path pem(Path file, X509Certificate... certs) throws Exception {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certs) {
            out.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return Files.writeString(file, out);
    }

    /** Writes {@code certs} as a PKCS#12 trust store protected by {@code password}. */
    static Path pkcs12(Path file, String password, X509Certificate... certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            store.setCertificateEntry("ca" + i, certs[i]);
        }
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair keys) throws Exception {
        return signBy(b, keys);
    }

    private static X509Certificate signBy(X509v3CertificateBuilder b, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}

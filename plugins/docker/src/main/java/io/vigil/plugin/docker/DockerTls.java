package io.vigil.plugin.docker;

import com.github.dockerjava.core.SSLConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to a {@code tcp://} engine from a Docker certificate directory ({@code ca.pem},
 * {@code cert.pem}, {@code key.pem}, as {@code docker --tlsverify} uses), read with the JDK alone.
 * docker-java reads them with BouncyCastle, which would add 10 MB to the plugin; the JDK reads
 * PKCS#8 keys, and the PKCS#1 RSA and SEC1 EC keys that openssl and Docker's guides produce are
 * rewrapped as PKCS#8 here.
 */
final class DockerTls implements SSLConfig {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final char[] PASSWORD = "vigil".toCharArray();

    private final SSLContext context;

    private DockerTls(SSLContext context) {
        this.context = context;
    }

    /**
     * Loads the directory's files.
     *
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    static DockerTls load(Path dir) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            for (Certificate ca : certificates(dir.resolve("ca.pem"))) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            List<Certificate> chain = certificates(dir.resolve("cert.pem"));
            PrivateKey key = privateKey(dir.resolve("key.pem"));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new DockerTls(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls_cert_path " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>(cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file.getFileName() + " holds no certificate");
        }
        return out;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    // PKCS#8 = SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption NULL, OCTET STRING pkcs1 }
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(sequence(
                            INTEGER_ZERO, sequence(oid("2a864886f70d010101"), new byte[] {0x05, 0x00}), octets(der))));
                case "EC PRIVATE KEY":
                    // SEC1 = SEQUENCE { 1, OCTET STRING key, [0] curve OID, [1] public key }; PKCS#8 names the curve
                    byte[] curve = sec1Curve(der);
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sequence(
                            INTEGER_ZERO, sequence(oid("2a8648ce3d0201"), curve), octets(der))));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException(file.getFileName() + " is encrypted; Docker keys are not");
                default:
                    // EC PARAMETERS and the like precede the key in some files
            }
        }
        throw new GeneralSecurityException(file.getFileName() + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

    /** The curve OID (tag and length included) from the [0] field of a SEC1 key. */
    private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int end = length(der, pos) + pos[0];
        while (pos[0] < end) {
            int tag = der[pos[0]++] & 0xff;
            int len = length(der, pos);
            if (tag == 0xa0) {
                byte[] out = new byte[len];
                System.arraycopy(der, pos[0], out, 0, len);
                return out;
            }
            pos[0] += len;
        }
        throw new GeneralSecurityException("EC key names no curve");
    }

    private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new GeneralSecurityException("malformed key");
        }
    }

    private static int length(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] oid(String hex) {
        byte[] body = java.util.HexFormat.of().parseHex(hex);
        return tagged(0x06, body);
    }

    private static byte[] octets(byte[] body) {
        return tagged(0x04, body);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return tagged(0x30, body.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = body.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }
}

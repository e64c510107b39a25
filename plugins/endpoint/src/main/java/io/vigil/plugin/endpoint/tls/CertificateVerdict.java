package io.vigil.plugin.endpoint.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's certificate chain judged at one moment.
 *
 * @param chain    the certificates the server sent, leaf first
 * @param host     the name (or address) it was checked for
 * @param problems what is wrong, empty when the certificate is valid
 * @param trust    where the trusted roots came from
 */
public record CertificateVerdict(List<X509Certificate> chain, String host, List<Problem> problems, String trust) {

    /**
     * One thing wrong with a certificate.
     *
     * @param code    {@code expired}, {@code not_yet_valid}, {@code hostname_mismatch} or {@code untrusted}
     * @param message one line for people
     */
    public record Problem(String code, String message) {
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Whether nothing is wrong. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /** Days from {@code now} until the leaf expires, negative once it has. */
    public double daysToExpiry(Instant now) {
        return Duration.between(now, leaf().getNotAfter().toInstant()).toMillis() / 86_400_000.0;
    }

    /** The problem codes, in order ({@code [expired, untrusted]}). */
    public List<String> codes() {
        return problems.stream().map(Problem::code).toList();
    }

    /** The leaf's identity for event attributes. */
    public Map<String, Object> describeLeaf() {
        X509Certificate leaf = leaf();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cert_subject", leaf.getSubjectX500Principal().getName());
        out.put("cert_issuer", leaf.getIssuerX500Principal().getName());
        out.put("sans", HostnameMatcher.names(leaf));
        out.put("serial", leaf.getSerialNumber().toString(16));
        out.put("not_before", leaf.getNotBefore().toInstant().toString());
        out.put("not_after", leaf.getNotAfter().toInstant().toString());
        out.put("sha256", sha256(leaf));
        out.put("chain_length", chain.size());
        return out;
    }

    private static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }
}

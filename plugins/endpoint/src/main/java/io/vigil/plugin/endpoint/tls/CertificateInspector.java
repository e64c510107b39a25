package io.vigil.plugin.endpoint.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Judges a server's chain: the leaf's validity dates against the monitor's clock, its names
 * against the host ({@link HostnameMatcher}), and whether a path leads from it through the
 * certificates the server sent to one of the {@link TrustAnchors} (PKIX, as the JDK's own trust
 * manager builds it, without revocation checks).
 *
 * <p>The path is checked at a moment inside the leaf's validity (now, or its last or first valid
 * moment), so an expired leaf is reported as {@code expired} and not also as {@code untrusted};
 * an expired or missing intermediate still makes it {@code untrusted}. Thread-safe.
 */
public final class CertificateInspector {

    private final TrustAnchors trust;
    private final boolean verifyHostname;

    /** An inspector trusting {@code trust}; {@code verifyHostname} false leaves names unchecked. */
    public CertificateInspector(TrustAnchors trust, boolean verifyHostname) {
        this.trust = trust;
        this.verifyHostname = verifyHostname;
    }

    /** The verdict on {@code chain} (leaf first, as sent) for {@code host} at {@code now}. */
    public CertificateVerdict inspect(List<X509Certificate> chain, String host, Instant now) {
        if (chain.isEmpty()) {
            return new CertificateVerdict(chain, host, List.of(new CertificateVerdict.Problem("untrusted",
                    "the server sent no certificate")), trust.description());
        }
        X509Certificate leaf = chain.get(0);
        List<CertificateVerdict.Problem> problems = new ArrayList<>();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            problems.add(new CertificateVerdict.Problem("expired", "the certificate expired at " + notAfter));
        } else if (now.isBefore(notBefore)) {
            problems.add(new CertificateVerdict.Problem("not_yet_valid", "the certificate is valid only from " + notBefore));
        }
        if (verifyHostname && !HostnameMatcher.matches(leaf, host)) {
            List<String> names = HostnameMatcher.names(leaf);
            problems.add(new CertificateVerdict.Problem("hostname_mismatch", "the certificate is for "
                    + (names.isEmpty() ? "no host name (it has no subject alternative names)" : String.join(", ", names))
                    + ", not " + host));
        }
        Instant at = now.isAfter(notAfter) ? notAfter : now.isBefore(notBefore) ? notBefore : now;
        String untrusted = untrusted(chain, at);
        if (untrusted != null) {
            problems.add(new CertificateVerdict.Problem("untrusted", untrusted));
        }
        return new CertificateVerdict(chain, host, List.copyOf(problems), trust.description());
    }

    /** Why no path leads from the leaf to a trusted root at {@code at}, or {@code null} when one does. */
    private String untrusted(List<X509Certificate> chain, Instant at) {
        X509Certificate leaf = chain.get(0);
        for (TrustAnchor anchor : trust.anchors()) {
            if (leaf.equals(anchor.getTrustedCert())) {
                return null; // the certificate itself is trusted (a pinned self-signed one)
            }
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trust.anchors(), target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            CertPathBuilder.getInstance("PKIX").build(params);
            return null;
        } catch (GeneralSecurityException e) {
            boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
            return (selfSigned ? "the certificate is self-signed and not in " : "no chain from its issuer "
                    + leaf.getIssuerX500Principal().getName() + " leads to a root in ") + trust.description()
                    + " (" + e.getMessage() + ")";
        }
    }
}

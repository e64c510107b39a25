package io.vigil.plugin.endpoint.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate is for a host, as browsers decide it (RFC 6125, CA/Browser Forum): a
 * name is compared with the DNS names of the subject alternative names, a {@code *} standing for
 * exactly one whole left-most label ({@code *.example.com} covers {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}); an IP literal with the IP address entries.
 * The subject's common name is not used: browsers stopped in 2017, and a certificate that relies
 * on it fails in them.
 */
public final class HostnameMatcher {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostnameMatcher() {
    }

    /** Whether {@code leaf} is valid for {@code host}. */
    public static boolean matches(X509Certificate leaf, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean ip = io.vigil.plugin.endpoint.probe.Address.isIpLiteral(h);
        for (List<?> san : alternativeNames(leaf)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == IP_ADDRESS && sameAddress(h, value)) {
                return true;
            }
            if (!ip && type == DNS_NAME && dnsMatches(value.toLowerCase(Locale.ROOT), h)) {
                return true;
            }
        }
        return false;
    }

    /** The DNS and IP entries of the subject alternative names, as written ({@code DNS:a.example}, {@code IP:10.0.0.1}). */
    public static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (List<?> san : alternativeNames(cert)) {
            int type = (Integer) san.get(0);
            if (type == DNS_NAME) {
                out.add("DNS:" + san.get(1));
            } else if (type == IP_ADDRESS) {
                out.add("IP:" + san.get(1));
            }
        }
        return out;
    }

    private static Collection<List<?>> alternativeNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (suffix.indexOf('.', 1) < 0) {
            return false; // "*.com" covers nothing
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(suffix);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are literals: no name lookup happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

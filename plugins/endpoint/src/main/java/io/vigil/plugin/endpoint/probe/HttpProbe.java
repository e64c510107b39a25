package io.vigil.plugin.endpoint.probe;

import io.vigil.plugin.endpoint.http.HttpExchange;
import io.vigil.plugin.endpoint.http.StatusSet;
import io.vigil.plugin.endpoint.tls.CertificateInspector;
import io.vigil.plugin.endpoint.tls.CertificateVerdict;
import io.vigil.plugin.endpoint.tls.TlsHandshake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An HTTP or HTTPS request on a fresh connection: connect, TLS handshake (HTTPS), request and
 * response are timed apart. The check fails on a connection or handshake failure, on a
 * certificate a browser would refuse (unless {@code verify_certificate} is off: the certificate
 * events still report it), on a status outside the expected set, and on a body without a match
 * of the pattern.
 */
public final class HttpProbe implements Probe {

    /** The most of a body kept for matching. */
    public static final int MAX_BODY = 1024 * 1024;
    private static final String USER_AGENT = "vigil-endpoint/1";

    private final URI url;
    private final Address address;
    private final boolean https;
    private final String method;
    private final StatusSet expected;
    private final Pattern bodyMatch;
    private final boolean verifyCertificate;
    private final TlsHandshake handshake;
    private final CertificateInspector inspector;
    private final Clock clock;

    /**
     * @param url       an absolute http or https URL without user info
     * @param bodyMatch a pattern the body must contain a match of, or {@code null}
     */
    public HttpProbe(URI url, String method, StatusSet expected, Pattern bodyMatch, boolean verifyCertificate,
                     TlsHandshake handshake, CertificateInspector inspector, Clock clock) {
        this.url = url;
        this.https = url.getScheme().equalsIgnoreCase("https");
        this.address = new Address(url.getHost().replaceAll("^\\[|]$", ""), url.getPort() > 0 ? url.getPort()
                : https ? 443 : 80);
        this.method = method;
        this.expected = expected;
        this.bodyMatch = bodyMatch;
        this.verifyCertificate = verifyCertificate;
        this.handshake = handshake;
        this.inspector = inspector;
        this.clock = clock;
    }

    /** Checks that {@code url} is one this probe can request, naming what is wrong. */
    public static URI validate(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("expected an http:// or https:// URL, got \"" + text + "\"");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URL \"" + text + "\" names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("credentials in the URL are not supported (they would appear in "
                    + "events and labels); point the check at an endpoint that needs none");
        }
        return uri;
    }

    @Override
    public String endpoint() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        boolean defaultPort = address.port() == (https ? 443 : 80);
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host().toLowerCase(Locale.ROOT);
        return (https ? "https://" : "http://") + host + (defaultPort ? "" : ":" + address.port()) + path;
    }

    @Override
    public ProbeResult run(Deadline deadline) {
        Double connect = null;
        Double shake = null;
        ProbeResult.TlsFacts tls = null;
        long started = System.nanoTime();
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.connect(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()),
                    deadline.remainingMillis("connect"));
            connect = (System.nanoTime() - started) / 1e9;
            if (https) {
                long shaking = System.nanoTime();
                TlsHandshake.Session session = handshake.handshake(plain, address.host(), address.port(),
                        address.host(), deadline.remainingMillis("the TLS handshake"));
                socket = session.socket();
                shake = (System.nanoTime() - shaking) / 1e9;
                CertificateVerdict verdict = inspector.inspect(session.chain(), address.host(), clock.instant());
                tls = new ProbeResult.TlsFacts(session.protocol(), session.cipher(), verdict);
                if (verifyCertificate && !verdict.valid()) {
                    return ProbeResult.failed("tls", "certificate refused: " + verdict.problems().stream()
                            .map(CertificateVerdict.Problem::message).collect(Collectors.joining("; ")),
                            connect, shake, null, null, tls);
                }
            }
            long asked = System.nanoTime();
            HttpExchange.Response response = HttpExchange.exchange(socket, method, hostHeader(), target(), USER_AGENT,
                    deadline, MAX_BODY);
            double seconds = (System.nanoTime() - asked) / 1e9;
            if (!expected.contains(response.status())) {
                return ProbeResult.failed("status", "status " + response.status() + ", expected " + expected, connect,
                        shake, seconds, response.status(), tls);
            }
            if (bodyMatch != null && !bodyMatch.matcher(response.text()).find()) {
                return ProbeResult.failed("body", "the body" + (response.truncated() ? " (first " + MAX_BODY / 1024
                        + " KiB)" : "") + " has no match of /" + bodyMatch.pattern() + "/", connect, shake, seconds,
                        response.status(), tls);
            }
            return ProbeResult.ok(connect, shake, seconds, response.status(), tls);
        } catch (IOException e) {
            String phase = connect == null ? "connect" : https && shake == null ? "tls" : "request";
            return ProbeResult.failed(phase, Failures.describe(e, address, deadline), connect, shake, null, null, tls);
        } finally {
            try {
                socket.close();
                plain.close();
            } catch (IOException ignored) {
                // closing a dead connection fails; nothing to do
            }
        }
    }

    private String hostHeader() {
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return address.port() == (https ? 443 : 80) ? host : host + ":" + address.port();
    }

    private String target() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}

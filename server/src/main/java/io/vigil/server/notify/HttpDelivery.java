package io.vigil.server.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.vigil.server.crypto.Secret;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP delivery shared by the HTTP channels (Slack, webhook, Telegram, PagerDuty): one client,
 * one timeout ({@code vigil.notify.http-timeout}), one classification of failures, one way of
 * describing them without leaking secrets (only scheme, host and port of a URL are ever shown:
 * Slack and Telegram carry credentials in the path).
 */
@Singleton
public class HttpDelivery {

    /** A receiver's answer. */
    public record Response(int status, String body, Optional<String> retryAfter) {
    }

    private static final int BODY_SNIPPET = 200;

    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout connect and request timeout of each delivery */
    public HttpDelivery(@Value("${vigil.notify.http-timeout:10s}") Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * POSTs {@code body} and classifies the answer: 2xx delivered; 408, 425, 429 and 5xx retry
     * (honouring {@code Retry-After}); other statuses failed; network errors and timeouts retry.
     */
    public DeliveryResult post(URI uri, String contentType, byte[] body, Map<String, String> headers,
                               Collection<Secret> secrets) {
        try {
            return classify(exchange(uri, contentType, body, headers), uri, secrets);
        } catch (IOException e) {
            return DeliveryResult.retry(describe(e, uri, secrets), null, null);
        }
    }

    /** POSTs and returns the raw answer, for channels that read the body (Telegram's retry_after). */
    public Response exchange(URI uri, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", contentType).header("User-Agent", "vigil-server")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body() == null ? "" : r.body(), r.headers().firstValue("Retry-After"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        }
    }

    /** The standard classification of an HTTP answer. */
    public static DeliveryResult classify(Response r, URI uri, Collection<Secret> secrets) {
        int s = r.status();
        if (s >= 200 && s < 300) {
            return DeliveryResult.delivered(s);
        }
        String error = "HTTP " + s + " from " + origin(uri) + snippet(r.body(), secrets);
        if (s == 408 || s == 425 || s == 429 || s >= 500) {
            return DeliveryResult.retry(error, s, r.retryAfter().map(HttpDelivery::retryAfter).orElse(null));
        }
        return DeliveryResult.failed(error, s);
    }

    /** A network failure as text: the kind, the origin, the redacted message. */
    public String describe(IOException e, URI uri, Collection<Secret> secrets) {
        if (e instanceof HttpTimeoutException) {
            return "no answer from " + origin(uri) + " within " + timeout.toMillis() + " ms";
        }
        String message = e.getMessage() == null ? "" : ": " + Secret.redact(e.getMessage(), secrets);
        return e.getClass().getSimpleName() + " sending to " + origin(uri) + message;
    }

    /** {@code https://hooks.slack.com}: never the path or query, which may hold a credential. */
    public static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    static String snippet(String body, Collection<Secret> secrets) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = Secret.redact(body.strip(), secrets).replaceAll("\\s+", " ");
        return ": " + (b.length() > BODY_SNIPPET ? b.substring(0, BODY_SNIPPET) + "..." : b);
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static @Nullable Duration retryAfter(String value) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}

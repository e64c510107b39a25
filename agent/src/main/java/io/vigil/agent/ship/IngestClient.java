package io.vigil.agent.ship;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.zip.GZIPOutputStream;
import io.vigil.agent.spool.SpoolBatch;

/**
 * Sends one batch to {@code POST /api/v1/ingest} and reports what the server said; also carries
 * the agent's other JSON posts ({@link #postJson}, the error shipper's) with the same token,
 * headers and reading of the answer.
 */
final class IngestClient {

    private static final int BODY_LOG_LIMIT = 500;

    private final HttpClient http;
    private final URI ingestUri;
    private final String authorization;
    private final Duration timeout;
    private final boolean gzip;
    private final String userAgent;

    IngestClient(URI serverUrl, String token, Duration timeout, boolean gzip, String userAgent) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.ingestUri = serverUrl.resolve("/api/v1/ingest");
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
        this.gzip = gzip;
        this.userAgent = userAgent;
    }

    URI uri() {
        return ingestUri;
    }

    IngestResponse send(SpoolBatch batch) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(batch.bytes() + 64, 64L << 20));
        if (gzip) {
            try (GZIPOutputStream zip = new GZIPOutputStream(body, 64 * 1024)) {
                WireJson.writeBatch(batch.events(), batch.metrics(), zip);
            }
        } else {
            WireJson.writeBatch(batch.events(), batch.metrics(), body);
        }
        return post(ingestUri, body.toByteArray(), gzip);
    }

    /** Posts an uncompressed JSON {@code body} to {@code path} on the server. */
    IngestResponse postJson(String path, byte[] body) throws IOException, InterruptedException {
        return post(ingestUri.resolve(path), body, false);
    }

    private IngestResponse post(URI uri, byte[] body, boolean gzipped) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzipped) {
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body() == null ? "" : response.body();
        return new IngestResponse(response.statusCode(),
                response.headers().firstValue("Retry-After").map(IngestClient::parseRetryAfter).orElse(null),
                text.length() > BODY_LOG_LIMIT ? text.substring(0, BODY_LOG_LIMIT) + "…" : text);
    }

    /** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static Duration parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}

package io.vigil.hyperliquid.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * JSON over HTTP to one API (one base URL): the fetch that the Hyperliquid client and the
 * reference-price sources share. It adds what every such call needs and nothing else:
 *
 * <ul>
 *   <li>a timeout on every request, and connection failures reported as {@link ApiException}s
 *       with a {@link ApiException.Reason};</li>
 *   <li>politeness: at least {@code minInterval} between two requests to this API (the calling
 *       thread waits), and after HTTP 429 or 418 no request at all before the server's
 *       {@code Retry-After} (or {@link #DEFAULT_RATE_LIMIT_PAUSE} when it gave none), measured on
 *       the injected clock; calls in that time fail at once with a {@link RateLimitedException};</li>
 *   <li>bodies parsed into a {@link JsonCursor}, so malformed JSON or an unexpected shape is a
 *       {@link MalformedResponseException} naming what was wrong.</li>
 * </ul>
 *
 * <p>Thread-safe; calls to one instance are serialized, which is what the spacing needs anyway.
 * A call blocks for at most the spacing wait plus the timeout, and is interruptible.
 */
public final class JsonHttpClient {

    /** How long calls pause after a 429 that carried no {@code Retry-After}. */
    public static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(60);
    /** Largest body read; larger answers are refused as malformed rather than filling the heap. */
    public static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    // Numbers become exact BigDecimals with their scale kept (12.50 stays 12.50).
    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String name;
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration minInterval;
    private final Clock clock;

    private long lastCallNanos;
    private boolean calledBefore;
    private Instant pausedUntil;
    private String pauseCause;

    /**
     * @param name        short name of the API for messages and labels ({@code binance})
     * @param baseUrl     absolute http(s) URL that request paths are appended to
     * @param http        the HTTP client to send with (share one per monitor)
     * @param timeout     longest wait for one answer
     * @param minInterval least time between two requests to this API; zero for none
     * @param clock       the monitor's clock, for receive times and rate-limit pauses
     * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http(s) URL
     */
    public JsonHttpClient(String name, String baseUrl, HttpClient http, Duration timeout, Duration minInterval,
                          Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.base = baseUri(name, baseUrl);
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = requirePositive(timeout, "timeout");
        this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An HTTP client suited to these calls: HTTP/1.1, the given connect timeout, redirects followed. */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requirePositive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Checks that {@code baseUrl} can serve as a base URL, for factories that validate options.
     *
     * @throws IllegalArgumentException naming the API and what is wrong with the URL
     */
    public static URI baseUri(String name, String baseUrl) {
        try {
            URI uri = new URI(Objects.requireNonNull(baseUrl, "baseUrl").trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " URL must be an absolute http(s) URL such as "
                        + "https://api.example.com, got \"" + baseUrl + "\"");
            }
            String text = uri.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " URL \"" + baseUrl + "\" is not a URL: " + e.getReason());
        }
    }

    /** The API's short name. */
    public String name() {
        return name;
    }

    /** The base URL requests are sent to. */
    public URI baseUrl() {
        return base;
    }

    /** When calls resume after a rate limit, if they are paused now. */
    public synchronized Optional<Instant> pausedUntil() {
        return pausedUntil != null && clock.instant().isBefore(pausedUntil) ? Optional.of(pausedUntil) : Optional.empty();
    }

    /**
     * Pauses calls to this API for {@code duration} from now, for a rate limit the API reports in
     * a 200 body (Kraken's {@code EAPI:Rate limit exceeded}).
     *
     * @return when calls resume
     */
    public synchronized Instant pauseFor(Duration duration, String cause) {
        pause(clock.instant().plus(duration), cause);
        return pausedUntil;
    }

    /**
     * {@code GET base + pathAndQuery}.
     *
     * @param what names the response in format errors ({@code "ticker BTCUSDT"})
     */
    public JsonResponse get(String pathAndQuery, String what) throws ApiException, InterruptedException {
        HttpRequest request = request(pathAndQuery).GET().build();
        return send(request, what);
    }

    /**
     * {@code POST base + path} with {@code body} serialized as JSON.
     *
     * @param body a map, list or value Jackson can write
     * @param what names the response in format errors ({@code "metaAndAssetCtxs"})
     */
    public JsonResponse post(String path, Object body, String what) throws ApiException, InterruptedException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body for " + name + " " + what + " cannot be written as JSON", e);
        }
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        return send(request, what);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "vigil-agent (io.vigil.hyperliquid)");
    }

    /**
     * {@code GET base + pathAndQuery}, returning the body of a 2xx answer unparsed: for feeds that
     * are not one JSON document (NDJSON, one object per line). Timeouts, rate limits and HTTP
     * errors are handled and reported exactly as for {@link #get}.
     */
    public byte[] getBytes(String pathAndQuery) throws ApiException, InterruptedException {
        return exchange(request(pathAndQuery).GET().build()).body();
    }

    private record Exchanged(byte[] body, Instant received, Optional<Duration> cacheAge) {
    }

    private JsonResponse send(HttpRequest request, String what) throws ApiException, InterruptedException {
        Exchanged answer = exchange(request);
        return new JsonResponse(parse(answer.body(), name + " " + what), answer.received(), answer.cacheAge());
    }

    private synchronized Exchanged exchange(HttpRequest request) throws ApiException, InterruptedException {
        String call = name + ": " + request.method() + " " + request.uri();
        Instant now = clock.instant();
        if (pausedUntil != null && now.isBefore(pausedUntil)) {
            throw new RateLimitedException(name + ": not called, paused until " + pausedUntil + " after " + pauseCause,
                    null, pausedUntil, true);
        }
        waitForSpacing();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ApiException(ApiException.Reason.TIMEOUT, call + " could not connect within " + human(timeout), e);
        } catch (HttpTimeoutException e) {
            throw new ApiException(ApiException.Reason.TIMEOUT, call + " timed out after " + human(timeout), e);
        } catch (IOException e) {
            throw new ApiException(ApiException.Reason.UNREACHABLE, call + " failed: " + describe(e), e);
        } finally {
            lastCallNanos = System.nanoTime();
            calledBefore = true;
        }
        byte[] body = readBody(call, response);
        Instant received = clock.instant();
        int status = response.statusCode();
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").map(v -> retryAfter(v, received));
        if (status == 429 || status == 418) {
            Duration pause = retryAfter.orElse(DEFAULT_RATE_LIMIT_PAUSE);
            pause(received.plus(pause), "HTTP " + status + " (rate limited)");
            throw new RateLimitedException(call + " answered HTTP " + status + " (rate limited), "
                    + retryAfter.map(d -> "Retry-After " + human(d)).orElse("no Retry-After")
                    + "; no calls before " + pausedUntil, retryAfter.orElse(null), pausedUntil, false);
        }
        if (status >= 500) {
            String pauseNote = "";
            if (status == 503 && retryAfter.isPresent()) {
                pause(received.plus(retryAfter.get()), "HTTP 503 with Retry-After");
                pauseNote = " (Retry-After " + human(retryAfter.get()) + "; no calls before " + pausedUntil + ")";
            }
            throw new ApiException(ApiException.Reason.SERVER_ERROR,
                    call + " answered HTTP " + status + pauseNote + excerpt(body));
        }
        if (status >= 300) {
            throw new ApiException(ApiException.Reason.REJECTED, call + " answered HTTP " + status + excerpt(body));
        }
        return new Exchanged(body, received, response.headers().firstValue("Age").flatMap(JsonHttpClient::seconds));
    }

    private void pause(Instant until, String cause) {
        if (pausedUntil == null || until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
        pauseCause = cause;
    }

    private void waitForSpacing() throws InterruptedException {
        if (!calledBefore || minInterval.isZero() || minInterval.isNegative()) {
            return;
        }
        long waitNanos = minInterval.toNanos() - (System.nanoTime() - lastCallNanos);
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    private static byte[] readBody(String call, HttpResponse<InputStream> response) throws ApiException {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new MalformedResponseException(call + " answered more than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (HttpTimeoutException e) {
            throw new ApiException(ApiException.Reason.TIMEOUT, call + " timed out while sending the body", e);
        } catch (IOException e) {
            throw new ApiException(ApiException.Reason.UNREACHABLE, call + " failed while reading the body: "
                    + describe(e), e);
        }
    }

    /**
     * Parses a JSON document, for callers that hold a body already.
     *
     * @param source names the document in errors ({@code "hyperliquid metaAndAssetCtxs"})
     */
    public static JsonCursor parse(byte[] body, String source) throws MalformedResponseException {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new MalformedResponseException(source + ": the response is not valid JSON (" + firstLine(e.getOriginalMessage())
                    + where + ")", e);
        } catch (IOException e) {
            throw new MalformedResponseException(source + ": the response cannot be read as JSON: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new MalformedResponseException(source + ": the response body is empty, expected JSON");
        }
        return JsonCursor.root(node, source);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() <= 200 ? text : text.substring(0, 197) + "...");
    }

    /** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3); null when unreadable. */
    static Duration retryAfter(String value, Instant now) {
        String v = value.trim();
        Optional<Duration> seconds = seconds(v);
        if (seconds.isPresent()) {
            return seconds.get();
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Optional<Duration> seconds(String value) {
        String v = value.trim();
        if (!v.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}: durations as the configuration writes them. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + human(d));
        }
        return d;
    }
}

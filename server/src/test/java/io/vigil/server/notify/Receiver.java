package io.vigil.server.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * An HTTP receiver on 127.0.0.1 for the notification specifications: records every request and
 * answers with scripted responses (then 200 {@code ok}).
 */
public final class Receiver implements AutoCloseable {

    /** One request as received. */
    public record Hit(String method, String path, Map<String, List<String>> headers, byte[] body, long receivedNanos) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A scripted answer. */
    public record Answer(int status, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Hit> hits = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();

    private Receiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static Receiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            ExecutorService executor = Executors.newFixedThreadPool(8);
            Receiver r = new Receiver(server, executor);
            server.createContext("/", r::handle);
            server.setExecutor(executor);
            server.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Answer answer;
        synchronized (this) {
            hits.add(new Hit(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body, now));
            answer = script.isEmpty() ? new Answer(200, "ok", Map.of()) : script.poll();
            notifyAll();
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    /** The next answers, in order; afterwards 200 again. */
    public synchronized Receiver answer(int status, String body, Map<String, String> headers) {
        script.add(new Answer(status, body, headers));
        return this;
    }

    public Receiver answer(int status, String body) {
        return answer(status, body, Map.of());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public synchronized List<Hit> hits() {
        return List.copyOf(hits);
    }

    public synchronized List<Hit> hits(Predicate<Hit> which) {
        return hits.stream().filter(which).toList();
    }

    /** Waits until at least {@code count} requests satisfy {@code which}, and returns them. */
    public synchronized List<Hit> await(Predicate<Hit> which, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Hit> found = hits.stream().filter(which).toList();
            if (found.size() >= count) {
                return found;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new AssertionError("expected " + count + " matching request(s) within " + timeout + ", got "
                        + found.size() + "; all requests: " + hits.stream().map(h -> h.path() + " " + h.text()).toList());
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

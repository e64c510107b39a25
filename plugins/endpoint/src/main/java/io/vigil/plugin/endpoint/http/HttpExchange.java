package io.vigil.plugin.endpoint.http;

import io.vigil.plugin.endpoint.probe.Deadline;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request and its response on a connection the caller opened (and timed), with
 * {@code Connection: close}: nothing is pooled, so every check measures a fresh connect and
 * handshake as a new client would. Decodes fixed-length, chunked and read-to-close bodies and
 * keeps at most {@code maxBody} bytes of it for matching. Redirects are not followed: a 3xx is
 * the answer.
 */
public final class HttpExchange {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * The response.
     *
     * @param status    the status code
     * @param body      the first bytes of the body
     * @param truncated whether the body was longer than kept
     */
    public record Response(int status, byte[] body, boolean truncated) {

        /** The kept body as text (UTF-8, malformed bytes replaced). */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpExchange() {
    }

    /**
     * Sends {@code method target} to {@code hostHeader} over {@code socket} and reads the response.
     *
     * @throws IOException when the connection fails, times out or the answer is not HTTP/1.x
     */
    public static Response exchange(Socket socket, String method, String hostHeader, String target, String userAgent,
                                    Deadline deadline, int maxBody) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: " + userAgent
                + "\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        int status;
        Headers headers;
        do {
            socket.setSoTimeout(deadline.remainingMillis("the response"));
            String statusLine = line(in);
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("the answer is not HTTP/1.x: \"" + printable(statusLine) + "\"");
            }
            String[] parts = statusLine.split(" ", 3);
            try {
                status = Integer.parseInt(parts[1].trim());
            } catch (RuntimeException e) {
                throw new IOException("malformed status line \"" + printable(statusLine) + "\"");
            }
            headers = Headers.read(in);
        } while (status >= 100 && status < 200 && status != 101); // 100 Continue and other interim answers
        Body body = new Body(maxBody);
        if (!method.equals("HEAD") && status != 204 && status != 304 && status != 101) {
            if (headers.chunked) {
                readChunked(in, body, socket, deadline);
            } else if (headers.contentLength >= 0) {
                copy(in, body, headers.contentLength, socket, deadline);
            } else {
                copy(in, body, Long.MAX_VALUE, socket, deadline);
            }
        }
        return new Response(status, body.kept.toByteArray(), body.truncated);
    }

    private static final class Headers {
        long contentLength = -1;
        boolean chunked;

        static Headers read(InputStream in) throws IOException {
            Headers h = new Headers();
            int total = 0;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                total += line.length();
                if (total > MAX_HEADER_BYTES) {
                    throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        h.contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("malformed Content-Length \"" + printable(value) + "\"");
                    }
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    h.chunked = true;
                }
            }
            return h;
        }
    }

    private static final class Body {
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        final int max;
        boolean truncated;

        Body(int max) {
            this.max = max;
        }

        void add(byte[] buf, int n) {
            int room = max - kept.size();
            if (n > room) {
                truncated = true;
            }
            kept.write(buf, 0, Math.max(0, Math.min(n, room)));
        }

        boolean full() {
            return kept.size() >= max;
        }
    }

    private static void readChunked(InputStream in, Body body, Socket socket, Deadline deadline) throws IOException {
        while (true) {
            socket.setSoTimeout(deadline.remainingMillis("the response body"));
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size \"" + printable(sizeLine) + "\"");
            }
            if (size == 0) {
                Headers.read(in); // trailers
                return;
            }
            copy(in, body, size, socket, deadline);
            line(in); // CRLF after the chunk
            if (body.full()) {
                body.truncated = true;
                return; // enough to match; the rest is not needed
            }
        }
    }

    private static void copy(InputStream in, Body body, long length, Socket socket, Deadline deadline)
            throws IOException {
        byte[] buf = new byte[8192];
        long left = length;
        while (left > 0) {
            socket.setSoTimeout(deadline.remainingMillis("the response body"));
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    return; // read-to-close body: the end
                }
                throw new EOFException("the connection closed " + left + " bytes before the end of the body");
            }
            body.add(buf, n);
            left -= n;
            if (body.full() && length == Long.MAX_VALUE) {
                body.truncated = true;
                return;
            }
        }
    }

    /** One CRLF- (or LF-) terminated line, ISO-8859-1, without the terminator. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.length() == 0) {
                    throw new EOFException("the connection closed before a complete response");
                }
                return b.toString();
            }
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            if (b.length() > MAX_HEADER_BYTES) {
                throw new IOException("a response line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            b.append((char) c);
        }
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}

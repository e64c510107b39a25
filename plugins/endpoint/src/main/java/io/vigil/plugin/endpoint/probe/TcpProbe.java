package io.vigil.plugin.endpoint.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Connects to {@code host:port}; optionally sends a line and expects a text in the answer (a
 * banner such as {@code SSH-2.0}, a {@code +PONG}). Closes the connection after each check.
 */
public final class TcpProbe implements Probe {

    private static final int MAX_EXPECT_BYTES = 64 * 1024;

    private final Address address;
    private final String send;
    private final String expect;

    /**
     * @param send   text to send after connecting, or {@code null}
     * @param expect text the answer must contain, or {@code null} to stop at the connect
     */
    public TcpProbe(Address address, String send, String expect) {
        this.address = address;
        this.send = send;
        this.expect = expect;
    }

    @Override
    public String endpoint() {
        return "tcp://" + address;
    }

    @Override
    public ProbeResult run(Deadline deadline) {
        Double connect = null;
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()),
                    deadline.remainingMillis("connect"));
            connect = (System.nanoTime() - started) / 1e9;
            if (send == null && expect == null) {
                return ProbeResult.ok(connect, null, null, null, null);
            }
            long exchange = System.nanoTime();
            if (send != null) {
                socket.getOutputStream().write(send.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            }
            String answer = expect == null ? "" : readUntil(socket, deadline);
            double response = (System.nanoTime() - exchange) / 1e9;
            if (expect != null && !answer.contains(expect)) {
                return ProbeResult.failed("expect", "the answer does not contain \"" + expect + "\"; it was \""
                        + printable(answer) + "\"", connect, null, response, null, null);
            }
            return ProbeResult.ok(connect, null, response, null, null);
        } catch (IOException e) {
            return ProbeResult.failed(connect == null ? "connect" : "expect", Failures.describe(e, address, deadline),
                    connect, null, null, null, null);
        }
    }

    /**
     * Reads until the answer contains {@code expect}, the peer closes, 64 KB came, or the answer
     * so far ends a line and nothing more has arrived: a server that sent its reply and waits for
     * the next command is judged on that reply rather than waited on until the timeout.
     */
    private String readUntil(Socket socket, Deadline deadline) throws IOException {
        StringBuilder answer = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        int total = 0;
        while (!answer.toString().contains(expect) && total < MAX_EXPECT_BYTES) {
            if (answer.length() > 0 && answer.charAt(answer.length() - 1) == '\n' && in.available() == 0) {
                break;
            }
            socket.setSoTimeout(deadline.remainingMillis("the answer"));
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                throw new java.net.SocketTimeoutException("timed out during the answer");
            }
            if (n < 0) {
                break;
            }
            total += n;
            answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return answer.toString();
    }

    static String printable(String s) {
        String t = s.replace("\r", "\\r").replace("\n", "\\n").replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 100 ? t.substring(0, 100) + "…" : t;
    }
}

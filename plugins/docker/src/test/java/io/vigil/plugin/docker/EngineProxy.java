package io.vigil.plugin.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP front for the engine's Unix socket, so a test can take the engine away from the monitor
 * the way a network does: {@link #cut()} drops every open connection, {@link #down()} also refuses
 * new ones until {@link #up()}. The engine itself keeps running and recording events.
 */
final class EngineProxy implements AutoCloseable {

    private final Path socket;
    private final SSLContext tls;
    private final int port;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    EngineProxy(Path socket) throws IOException {
        this(socket, null);
    }

    /** A TLS front that requires a client certificate signed by the context's trusted CA. */
    EngineProxy(Path socket, SSLContext tls) throws IOException {
        this.socket = socket;
        this.tls = tls;
        ServerSocket s = listen(0);
        this.port = s.getLocalPort();
        serve(s);
    }

    String host() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Drops the open connections; new ones are accepted. */
    void cut() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already gone
            }
        }
        open.clear();
    }

    /** Drops the open connections and refuses new ones. */
    void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        cut();
    }

    /** Accepts connections again on the same port. */
    void up() throws IOException {
        serve(listen(port));
    }

    private ServerSocket listen(int port) throws IOException {
        ServerSocket s;
        if (tls != null) {
            SSLServerSocket secure = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            secure.setNeedClientAuth(true);
            s = secure;
        } else {
            s = new ServerSocket();
        }
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void serve(ServerSocket s) {
        server = s;
        Thread acceptor = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    open.add(client);
                    open.add(engine);
                    InputStream fromClient = client.getInputStream();
                    OutputStream toClient = client.getOutputStream();
                    // channel reads and writes, not Channels streams: those share a lock and deadlock
                    pump(() -> {
                        byte[] buf = new byte[16384];
                        for (int n; (n = fromClient.read(buf)) >= 0; ) {
                            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                            while (b.hasRemaining()) {
                                engine.write(b);
                            }
                        }
                    }, engine);
                    pump(() -> {
                        ByteBuffer b = ByteBuffer.allocate(16384);
                        while (engine.read(b) >= 0) {
                            toClient.write(b.array(), 0, b.position());
                            toClient.flush();
                            b.clear();
                        }
                    }, client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "engine-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private interface Copy {
        void run() throws IOException;
    }

    /** Copies one direction until either side closes, then closes {@code other} to end the reverse copy. */
    private static void pump(Copy copy, AutoCloseable other) {
        Thread t = new Thread(() -> {
            try {
                copy.run();
            } catch (IOException ignored) {
                // cut
            } finally {
                try {
                    other.close();
                } catch (Exception ignored) {
                    // cut
                }
            }
        }, "engine-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}

package io.vigil.plugin.endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A TCP server on 127.0.0.1 that a test can stop (connections are then refused) and start again
 * on the same port. Each accepted connection is handed to the handler on its own thread and
 * closed afterwards.
 */
final class LoopbackServer implements AutoCloseable {

    private final Consumer<Socket> handler;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private Thread acceptor;
    private int port;

    LoopbackServer(Consumer<Socket> handler) throws IOException {
        this.handler = handler;
        start();
    }

    /** A server that accepts and closes at once. */
    static LoopbackServer accepting() throws IOException {
        return new LoopbackServer(s -> { });
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Listens (again) on the server's port; the first call picks a free one. */
    synchronized void start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread accept = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    open.add(client);
                    Thread t = new Thread(() -> {
                        try (client) {
                            handler.accept(client);
                        } catch (IOException | RuntimeException ignored) {
                            // the client went away
                        } finally {
                            open.remove(client);
                        }
                    }, "loopback-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "loopback-accept");
        accept.setDaemon(true);
        accept.start();
        acceptor = accept;
    }

    /**
     * Stops listening and closes every connection. Returns once the accept thread has ended: until
     * then the kernel still holds the listening socket (the thread blocked in accept keeps it),
     * accepts connections into its backlog and refuses to bind the port again.
     */
    synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket s : open) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}

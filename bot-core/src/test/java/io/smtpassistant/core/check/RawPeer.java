package io.smtpassistant.core.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-played peer on a loopback {@link ServerSocket}, for the few dialogues {@code ScriptedSmtpServer}
 * cannot play (stop answering after a given command, hold the greeting until a latch opens). Each accepted
 * connection runs the {@link Dialogue} on its own virtual thread; {@link #close()} closes the listener and
 * every connection, which ends any blocked read, and waits a bounded time for the threads.
 */
final class RawPeer implements AutoCloseable {

    /** What the peer does on one connection. */
    @FunctionalInterface
    interface Dialogue {
        void play(Connection c) throws IOException, InterruptedException;
    }

    /** One accepted connection, with line-oriented helpers. */
    final class Connection {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        /** Sends the lines ({@code \n}-separated), each ending in CRLF. */
        void send(String lines) throws IOException {
            StringBuilder wire = new StringBuilder();
            for (String line : lines.split("\n")) {
                wire.append(line).append("\r\n");
            }
            out.write(wire.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** The next line from the client (recorded in {@link #received()}), or null at end of stream. */
        String read() throws IOException {
            String line = in.readLine();
            if (line != null) {
                synchronized (received) {
                    received.add(line);
                }
            }
            return line;
        }

        /** Says nothing more and discards input until the client hangs up (or the peer is closed). */
        void holdUntilClosed() throws IOException {
            while (in.read() >= 0) {
                // discard
            }
        }

        Socket socket() {
            return socket;
        }
    }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>(); // guarded by itself
    private final List<String> received = new ArrayList<>(); // guarded by itself

    private RawPeer(Dialogue dialogue) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("raw-peer-accept-" + listener.getLocalPort()).start(() -> acceptLoop(dialogue));
    }

    static RawPeer start(Dialogue dialogue) throws IOException {
        return new RawPeer(dialogue);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every line the peer read from any client, in order. */
    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void acceptLoop(Dialogue dialogue) {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException closed) {
                return;
            }
            open.add(s);
            Thread t = Thread.ofVirtual().unstarted(() -> {
                try (s) {
                    dialogue.play(new Connection(s));
                } catch (IOException | InterruptedException hungUp) {
                    // the client went away or the peer was closed: the dialogue is over
                } finally {
                    open.remove(s);
                }
            });
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        acceptor.join(Duration.ofSeconds(2));
        List<Thread> all;
        synchronized (threads) {
            all = List.copyOf(threads);
        }
        for (Thread t : all) {
            t.interrupt(); // a dialogue waiting on a latch
            t.join(Duration.ofSeconds(2));
        }
    }
}

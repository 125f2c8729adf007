package io.smtpassistant.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny DNS server on a loopback UDP port that answers every query the same way: with an address, NXDOMAIN,
 * SERVFAIL, or not at all. For tests of a resolver that really fails. Queries are counted. The listener runs
 * on a daemon thread; {@link #close()} closes the socket, which ends it.
 */
public final class ScriptedDnsServer implements AutoCloseable {

    /** How every query is answered. */
    public enum Answer {
        /** One A record with the configured address. */
        ADDRESS,
        /** RCODE 3: the name does not exist. */
        NXDOMAIN,
        /** RCODE 2: the server failed (e.g. its upstream or DNSSEC validation broke). */
        SERVFAIL,
        /** No reply at all: the client times out. */
        SILENT
    }

    private final DatagramSocket socket;
    private final Answer answer;
    private final byte[] address;
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    private ScriptedDnsServer(Answer answer, byte[] address) throws SocketException {
        this.answer = answer;
        this.address = address.clone();
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = Thread.ofPlatform().daemon().name("scripted-dns-" + socket.getLocalPort()).unstarted(this::serve);
        thread.start();
    }

    /** Starts a server that answers every query with {@code answer}; {@link Answer#ADDRESS} answers 127.0.0.1. */
    public static ScriptedDnsServer start(Answer answer) throws SocketException {
        return new ScriptedDnsServer(Objects.requireNonNull(answer, "answer"), new byte[] {127, 0, 0, 1});
    }

    /** The server as a JNDI DNS URL, e.g. {@code dns://127.0.0.1:53535}. */
    public String url() {
        return "dns://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** How many queries arrived. */
    public int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            queries.incrementAndGet();
            if (answer == Answer.SILENT || packet.getLength() < 12) {
                continue;
            }
            byte[] reply = reply(Arrays.copyOf(packet.getData(), packet.getLength()));
            try {
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private byte[] reply(byte[] query) {
        int questionEnd = 12;
        while (questionEnd < query.length && query[questionEnd] != 0) {
            questionEnd += (query[questionEnd] & 0xff) + 1;
        }
        questionEnd = Math.min(query.length, questionEnd + 5); // the root label, QTYPE, QCLASS
        int qtype = questionEnd >= 4 ? ((query[questionEnd - 4] & 0xff) << 8) | (query[questionEnd - 3] & 0xff) : 0;
        boolean withAddress = answer == Answer.ADDRESS && (qtype == 1 || qtype == 255); // A or ANY
        byte[] out = Arrays.copyOf(query, questionEnd + (withAddress ? 16 : 0));
        int rcode = switch (answer) {
            case NXDOMAIN -> 3;
            case SERVFAIL -> 2;
            default -> 0;
        };
        out[2] = (byte) (0x80 | (query[2] & 0x01));  // QR, the client's RD
        out[3] = (byte) (0x80 | rcode);              // RA, RCODE
        out[4] = 0;
        out[5] = 1;                                  // one question
        out[6] = 0;
        out[7] = (byte) (withAddress ? 1 : 0);       // answers
        Arrays.fill(out, 8, 12, (byte) 0);           // no authority, no additional records
        if (withAddress) {
            int i = questionEnd;
            byte[] record = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
            System.arraycopy(record, 0, out, i, record.length);
            System.arraycopy(address, 0, out, i + record.length, 4);
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

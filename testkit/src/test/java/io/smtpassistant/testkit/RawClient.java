package io.smtpassistant.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A deliberately tiny SMTP client over a plain {@link Socket}, upgraded in place to an {@link SSLSocket}. */
final class RawClient implements AutoCloseable {

    /** A reply: its lines without CRLF. */
    record Reply(List<String> lines) {
        int code() {
            return Integer.parseInt(lines.get(0).substring(0, 3));
        }

        String last() {
            return lines.get(lines.size() - 1);
        }

        boolean hasLine(String text) {
            return lines.stream().anyMatch(l -> l.length() > 4 && l.substring(4).equals(text));
        }
    }

    private final Socket plain;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawClient(Socket plain) throws IOException {
        this.plain = plain;
        this.socket = plain;
        this.in = plain.getInputStream();
        this.out = plain.getOutputStream();
    }

    static RawClient connect(ScriptedSmtpServer server, int soTimeoutMillis) throws IOException {
        return connect(server.port(), soTimeoutMillis);
    }

    /** Connects to a port on 127.0.0.1 (e.g. a {@link RealPostfix} service). */
    static RawClient connect(int port, int soTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(soTimeoutMillis);
            return new RawClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects and handshakes at once (implicit TLS), verifying the certificate for {@code host}. */
    static RawClient connectTls(ScriptedSmtpServer server, int soTimeoutMillis, SSLContext context, String host)
            throws IOException {
        RawClient client = connect(server, soTimeoutMillis);
        try {
            client.startTls(context, host);
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    /** Layers TLS over the connection and handshakes, with hostname verification against {@code host}. */
    SSLSocket startTls(SSLContext context, String host, String... protocols) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        ssl.setSSLParameters(parameters);
        socket = ssl;
        ssl.startHandshake();
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        return ssl;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    Reply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Reads lines until one whose fourth character is a space. */
    Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return new Reply(lines);
            }
        }
    }

    /** One line without CRLF; EOFException at end of stream. Lines are capped at 64 KiB. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream after " + line.size() + " bytes: " + line);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() > 65_536) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
    }

    /** Reads everything until the server closes (or the timeout fires). */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    InputStream in() {
        return in;
    }

    void setSoTimeout(int millis) throws IOException {
        plain.setSoTimeout(millis);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
        plain.close();
    }
}

package io.smtpassistant.app.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} of the test's own, on a spare loopback port, without persistence: a test
 * can kill it to see what the app does when its Redis goes away (the shared one at 6379 must stay up).
 */
public final class LocalRedis implements AutoCloseable {

    private final Process process;
    private final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server, its output in {@code log}, and returns once it accepts connections. */
    public static LocalRedis start(Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalRedis redis = new LocalRedis(p, port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return redis;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("redis-server did not listen on " + port + " within 20 s");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>/0} */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("redis-server on " + port + " did not stop");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

package io.smtpassistant.app.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store across real processes: a request survives {@code kill -9} of the process that
 * created it right after the id was shown, and two processes creating at once never share an id.
 * Children run {@link StoreChild} with this JVM's java binary and test class path.
 */
@Timeout(120)
class StoreProcessesTest {

    @TempDir
    Path dataDir;

    @Test
    void aRequestSurvivesKillDashNineRightAfterItsIdWasShown() throws Exception {
        Process child = start("1");
        try {
            BufferedReader out = reader(child);
            String line = readLine(out, child, 60);
            assertTrue(line.startsWith("ID SR-"), "the child shows the id: " + line);
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no H2 close, no flush
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child is gone");
            assertEquals(137, child.exitValue(), "killed by signal 9 (128 + 9)");

            String id = line.substring(3);
            try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
                Optional<SupportRequest> found = store.find(id);
                assertTrue(found.isPresent(), id + " was committed before its id was shown, and survived kill -9");
                assertEquals("Created by a child process, #0", found.get().summary());
                assertEquals("note 0", found.get().note());
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void twoProcessesCreatingAtOnceNeverShareAnId() throws Exception {
        // Both children draw ids from the same seed, so the second to insert finds each id taken and must draw again.
        int each = 10;
        Process a = start(String.valueOf(each), "42");
        Process b = start(String.valueOf(each), "42");
        try {
            List<String> ids = new ArrayList<>();
            for (Process p : List.of(a, b)) {
                BufferedReader out = reader(p);
                for (String line = readLine(out, p, 90); !line.equals("DONE"); line = readLine(out, p, 90)) {
                    assertTrue(line.startsWith("ID SR-"), line);
                    ids.add(line.substring(3));
                }
            }
            for (Process p : List.of(a, b)) { // let both finish cleanly only after both are done
                p.getOutputStream().close();
            }
            for (Process p : List.of(a, b)) {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child ended");
                assertEquals(0, p.exitValue(), "child exit code");
            }
            Set<String> unique = new HashSet<>(ids);
            assertEquals(2 * each, ids.size());
            assertEquals(2 * each, unique.size(), "ids were shared: " + ids);
            try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
                assertEquals(2 * each, store.list(Optional.empty(), 100).size());
                for (String id : ids) {
                    assertTrue(store.find(id).isPresent(), id);
                }
            }
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), StoreChild.class.getName(), dataDir.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dataDir.getParent(), "child-", ".log");
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The child's next stdout line, waiting at most {@code seconds}. */
    private static String readLine(BufferedReader out, Process p, int seconds) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            String s = line.get(seconds, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("the child ended without a line (exit " + p.waitFor() + ")");
            }
            return s;
        } catch (TimeoutException e) {
            throw new AssertionError("no line from the child within " + seconds + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError("reading the child failed", e.getCause());
        }
    }
}

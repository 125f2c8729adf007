package io.smtpassistant.app.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.knowledge.Security;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Support staff run several {@code requests} commands at once on the embedded H2 file, with and
 * without the bot holding it open, as real processes: every one works (never exit 3, "store
 * unusable"). And a process killed with {@code kill -9} while holding the file does not slow the
 * next one down with H2's stale-lock wait.
 */
@Timeout(600)
class ConcurrentRequestsCommandsTest {

    private static final int PROCESSES = 10; // the bug showed with 5 concurrent lists; 20 claims race in ConcurrentClaimProcessesTest

    @TempDir
    Path dataDir;

    @Test
    void tenConcurrentListAndShowCommandsAllSucceedWithoutTheBot() throws Exception {
        String id = createRequest();
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            running.add(i % 2 == 0 ? cli("requests", "list") : cli("requests", "show", id));
        }
        List<String> outcomes = await(running);
        for (int i = 0; i < PROCESSES; i++) {
            assertTrue(outcomes.get(i).startsWith("exit 0"), "command " + i + " failed: " + outcomes.get(i));
            assertTrue(outcomes.get(i).contains(id), "command " + i + " shows the request: " + outcomes.get(i));
        }
    }

    @Test
    void tenConcurrentClaimsEndCleanlyWhileTheBotHoldsTheFile() throws Exception {
        String id = createRequest();
        Process bot = holder(); // keeps the store open, as the running bot does
        try {
            String first = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(first != null && first.startsWith("ID SR-"), "the bot stand-in holds the store: " + first);
            List<Process> running = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                running.add(cli("requests", "claim", id, "--as", "Agent " + i));
            }
            List<String> outcomes = await(running);
            int claimed = 0;
            for (int i = 0; i < PROCESSES; i++) {
                String o = outcomes.get(i);
                assertTrue(o.startsWith("exit 0") || o.startsWith("exit 1"), "claim " + i + " ended with the store unusable? " + o);
                claimed += o.startsWith("exit 0") ? 1 : 0;
            }
            assertTrue(claimed >= 1, "at least one claim went through: " + outcomes);
        } finally {
            bot.getOutputStream().close();
            assertTrue(bot.waitFor(60, TimeUnit.SECONDS), "the bot stand-in ended");
        }
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            assertEquals(RequestStatus.CLAIMED, store.find(id).orElseThrow().status());
        }
    }

    @Test
    void aProcessKilledWhileHoldingTheFileDoesNotSlowTheNextCommand(@TempDir Path warmUp) throws Exception {
        // warm this JVM up (class loading, Flyway, knowledge) so the measurement is the store's opening
        assertEquals(0, CliRunner.run(Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", warmUp.toString()), "",
                "requests", "list").exit());
        Process child = holder();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("ID SR-"), "the child opened the store and created a request: " + line);
        String id = line.substring(3);
        child.destroyForcibly(); // SIGKILL: H2 cannot remove its lock file
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue());
        Path lock = dataDir.resolve(SupportRequestStores.H2_FILE + ".lock.db");
        assertTrue(Files.exists(lock), "the killed process left its lock file behind");

        // A fresh modification time: H2's own path waits until a lock file is 2 s old before it judges it,
        // so without the stale-lock removal the next open takes 2 s at the very least.
        String lockContent = Files.readString(lock);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now()));
        long start = System.nanoTime();
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).forOneCommand().open()) {
            assertTrue(store.find(id).isPresent(), id);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long normal = Long.MAX_VALUE; // the same opening without a stale lock, on this (possibly busy) machine
        for (int i = 0; i < 2; i++) {
            long t = System.nanoTime();
            try (SupportRequestStore store = SupportRequestStores.h2(dataDir).forOneCommand().open()) {
                assertTrue(store.find(id).isPresent(), id);
            }
            normal = Math.min(normal, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        }
        assertTrue(millis < normal + 1_500, "the next start did not wait on the stale lock: " + millis + " ms, "
                + normal + " ms without one; the lock file held:\n" + lockContent);

        CliRunner.Result show = CliRunner.run(Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", dataDir.toString()), "",
                "requests", "show", id);
        assertEquals(0, show.exit(), show.all());
        assertTrue(show.out().contains(id), show.out());
    }

    private String createRequest() {
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            return store.create(new NewSupportRequest(new Requester("terminal", "u1", "Anna"), "Cannot send",
                    new CheckSettings("smtp.example.com", 587, Security.STARTTLS, "hr@example.com", "", "", false),
                    Optional.empty(), List.of(), "please help", Instant.now())).id();
        }
    }

    /** The CLI as its own process, started now, in the test's data directory. */
    private Process cli(String... args) throws IOException {
        List<String> command = new ArrayList<>(java());
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SMTP_ASSISTANT_DATA_DIR", dataDir.toString());
        pb.environment().put("LANG", "en_US.UTF-8");
        pb.environment().remove("DATABASE_URL");
        return pb.start();
    }

    /** A process that opens the store, creates one request, prints its id and holds the file until its stdin closes. */
    private Process holder() throws IOException {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of(StoreChild.class.getName(), dataDir.toString(), "1"));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<String> java() {
        return CliProcesses.java();
    }

    /** "exit N" and the output of each process, in order; waits for all. */
    private static List<String> await(List<Process> processes) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "a command hung:\n" + output);
            outcomes.add("exit " + p.exitValue() + "\n" + output);
        }
        return outcomes;
    }
}

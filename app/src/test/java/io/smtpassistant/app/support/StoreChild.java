package io.smtpassistant.app.support;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.knowledge.Security;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The other process in {@link StoreProcessesTest}: opens the H2 store in a data directory, creates
 * requests, prints one line {@code ID <id>} per request, then {@code DONE}, and keeps the store open
 * until its standard input closes (or 60 s pass), so the parent decides when and how it ends.
 *
 * <p>Usage: {@code StoreChild DATA_DIR COUNT [SEED]}; with a seed the ids are drawn from
 * {@code new SplittableRandom(SEED)}.
 */
public final class StoreChild {

    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        SupportRequestStores.Builder config = SupportRequestStores.h2(dir);
        if (args.length > 2) {
            config.random(new SplittableRandom(Long.parseLong(args[2])));
        }
        SupportRequestStore store = config.open(); // deliberately never closed: the parent may kill -9 us
        for (int i = 0; i < count; i++) {
            String id = store.create(new NewSupportRequest(new Requester("terminal", "pid-" + ProcessHandle.current().pid(),
                    "Child " + i), "Created by a child process, #" + i,
                    new CheckSettings("smtp.example.com", 587, Security.STARTTLS, "hr@example.com", "", "", false),
                    Optional.empty(), List.of(), "note " + i, Instant.now())).id();
            System.out.println("ID " + id);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        CountDownLatch stdinClosed = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // wait for the parent to close the pipe
                }
            } catch (IOException ignored) {
                // closed either way
            }
            stdinClosed.countDown();
        });
        reader.setDaemon(true);
        reader.start();
        boolean closed = stdinClosed.await(60, TimeUnit.SECONDS);
        store.close();
        System.exit(closed ? 0 : 3);
    }
}

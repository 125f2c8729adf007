package io.smtpassistant.core.shared;

import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract in process: conversation states in the embedded H2 database, the rest in memory, time on a fake clock. */
class InProcessSharedStateTest extends SharedStateContract {

    @TempDir
    static Path dataDir;
    private static SupportRequestStore requests;

    private TestClock clock;
    private InProcessSharedState shared;

    @BeforeAll
    static void openDatabase() {
        requests = SupportRequestStores.h2(dataDir).open();
    }

    @AfterAll
    static void closeDatabase() {
        requests.close();
    }

    @BeforeEach
    void openSharedState() {
        clock = new TestClock(T0);
        shared = new InProcessSharedState(requests.conversations(), clock);
    }

    @Override
    protected SharedState shared() {
        return shared;
    }

    @Override
    protected void letPass(Duration d) {
        clock.advance(d);
    }

    @Override
    protected Duration shortTime() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected Duration lockTtl() {
        return InProcessSharedState.LOCK_TTL;
    }
}

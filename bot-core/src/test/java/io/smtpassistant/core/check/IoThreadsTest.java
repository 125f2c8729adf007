package io.smtpassistant.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Virtual threads only where blocking in synchronized does not pin (JEP 491, JDK 24). */
class IoThreadsTest {

    @Test
    void platformThreadsBeforeJdk24VirtualFrom24() {
        assertFalse(IoThreads.virtualThreadsFit(21));
        assertFalse(IoThreads.virtualThreadsFit(23));
        assertTrue(IoThreads.virtualThreadsFit(24));
        assertTrue(IoThreads.virtualThreadsFit(25));
    }

    @Test
    void threadsOfThisJdkFollowTheRule() throws Exception {
        boolean expected = Runtime.version().feature() >= 24;
        assertEquals(expected, IoThreads.virtual());
        try (ExecutorService pool = IoThreads.perTask("io-test-")) {
            Future<Thread> t = pool.submit(Thread::currentThread);
            assertEquals(expected, t.get().isVirtual());
            assertTrue(t.get().getName().startsWith("io-test-"), t.get().getName());
            assertTrue(expected || t.get().isDaemon(), "platform threads are daemons: they never keep the JVM alive");
        }
    }

    /** A check's DNS and probe threads log with the ids of the turn that started it. */
    @Test
    void aThreadStartsWithTheLogIdsOfTheThreadThatMadeIt() throws Exception {
        try (ExecutorService pool = IoThreads.perTask("io-test-")) {
            assertEquals(null, pool.submit(() -> org.slf4j.MDC.get("conversation_id")).get(), "none here: none there");
            try (var scope = io.smtpassistant.core.shared.LogContext.with("conversation_id", "c-0123456789ab")) {
                assertEquals("c-0123456789ab", pool.submit(() -> org.slf4j.MDC.get("conversation_id")).get());
            }
            assertEquals(null, pool.submit(() -> org.slf4j.MDC.get("conversation_id")).get(), "the caller's scope ended");
        }
    }
}

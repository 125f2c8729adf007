package io.smtpassistant.core.check;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for blocking work that runs through libraries with {@code synchronized} I/O: a live check
 * (Jakarta Mail's {@code SMTPTransport} reads and writes its socket inside synchronized methods), the
 * embedded database, JNDI. Virtual threads on JDK 24 and newer; platform threads before, because until
 * JEP 491 (JDK 24) a virtual thread blocked inside {@code synchronized} pins its carrier, and a few
 * dozen checks waiting on silent servers would pin every carrier and stall all other virtual threads
 * of the process (the chat adapters' acks among them).
 */
public final class IoThreads {

    private static final boolean VIRTUAL = virtualThreadsFit(Runtime.version().feature());

    private IoThreads() {
    }

    /** Whether blocking in {@code synchronized} leaves a virtual thread's carrier free on this JDK feature release. */
    static boolean virtualThreadsFit(int jdkFeature) {
        return jdkFeature >= 24;
    }

    /** True when this JDK runs such work on virtual threads. */
    public static boolean virtual() {
        return VIRTUAL;
    }

    /**
     * A factory of daemon threads named {@code prefix0}, {@code prefix1}, …, virtual when {@link #virtual()}. Each
     * thread starts with the log ids (MDC) of the thread that made it, so a check's DNS and probe threads log with
     * the {@code conversation_id} and {@code request_id} of the turn that started the check.
     */
    public static ThreadFactory factory(String prefix) {
        ThreadFactory threads = VIRTUAL ? Thread.ofVirtual().name(prefix, 0).factory() : Thread.ofPlatform().daemon().name(prefix, 0).factory();
        return work -> threads.newThread(io.smtpassistant.core.shared.LogContext.carry(work));
    }

    /** A thread per task, from {@link #factory}. */
    public static ExecutorService perTask(String prefix) {
        return Executors.newThreadPerTaskExecutor(factory(prefix));
    }
}

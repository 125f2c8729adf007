package io.smtpassistant.app.script;

import java.util.List;
import java.util.Map;

/**
 * One chat platform as a user meets it: what the user can do, and everything shown so far. A
 * driver runs one conversation (one user) against the real adapter; {@link PlatformScript} holds the
 * expectations, which are the same on every platform.
 */
interface ChatDriver extends AutoCloseable {

    /** Starts the conversation as a new user would (a first message, or starting the terminal chat). */
    void open() throws Exception;

    /** Types a message (or a line). */
    void say(String text) throws Exception;

    /** Picks the choice of the latest question whose label starts with {@code labelStart} (a button, a number). */
    void choose(String labelStart) throws Exception;

    /**
     * Submits the form being shown: {@code values} by field id (host, port, security, username,
     * sender; security as starttls, tls, auto or none), and {@code password} when not null.
     */
    void fill(Map<String, String> values, String password) throws Exception;

    /** The value the form being shown holds for {@code field} now (kept after an error), or null. */
    String kept(String field) throws Exception;

    /** Everything shown and done so far, in order (new output is read in on each call). */
    List<Shown> shown() throws Exception;

    @Override
    void close() throws Exception;
}

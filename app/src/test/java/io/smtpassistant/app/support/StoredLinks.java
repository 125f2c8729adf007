package io.smtpassistant.app.support;

import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequestStore;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading support requests and their chat links back in the restart tests. */
public final class StoredLinks {

    private static final Pattern ID = Pattern.compile("SR-[0-9A-Z]{5}");

    private StoredLinks() {
    }

    /** The first support request id in {@code text} (a message that announced it). */
    public static String requestId(String text) {
        Matcher m = ID.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no support request id in: " + text);
        }
        return m.group();
    }

    /** Waits (bounded) until the app wrote both links of the request, the thread and the requester's conversation. */
    public static SupportLinks await(SupportRequestStore store, String platform, String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<SupportLinks> links = store.links().find(platform, id);
            if (links.isPresent() && links.get().thread().isPresent() && links.get().requester().isPresent()) {
                return links.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the " + platform + " links of " + id + " were never written: " + links);
            }
            Thread.sleep(20);
        }
    }
}

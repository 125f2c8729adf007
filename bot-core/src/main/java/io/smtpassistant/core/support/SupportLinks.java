package io.smtpassistant.core.support;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one support request is talked about on one chat platform, as a {@link SupportLinkStore}
 * keeps it: the request's thread in the support channel and the requester's conversation. The
 * strings are the chat adapter's own (ids, a service URL, often as JSON); the store never reads them.
 *
 * @param requestId the request, canonical ({@code SR-7K3QD})
 * @param platform  lower case: {@code slack}, {@code teams}
 * @param thread    the support channel's thread of the request, once it was posted
 * @param requester the requester's conversation, once the adapter recorded it
 */
public record SupportLinks(String requestId, String platform, Optional<ThreadRef> thread, Optional<String> requester) {

    public SupportLinks {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(requester, "requester");
    }

    /**
     * A thread in the support channel.
     *
     * @param key  the adapter's name for the thread, unique per platform, the way an incoming message
     *             in the thread names it (Slack: channel and thread ts; Teams: the reply chain's
     *             conversation id); one line, at most {@value SupportLinkStore#MAX_KEY} characters
     * @param data what the adapter needs to post into the thread again; at most
     *             {@value SupportLinkStore#MAX_DATA} characters
     */
    public record ThreadRef(String key, String data) {
        public ThreadRef {
            key = Texts.oneLine("thread key", key, SupportLinkStore.MAX_KEY, false);
            data = Texts.limit("thread data", data, SupportLinkStore.MAX_DATA);
            if (data.isEmpty()) {
                throw new IllegalArgumentException("thread data is empty; give what is needed to post into the thread");
            }
        }
    }
}

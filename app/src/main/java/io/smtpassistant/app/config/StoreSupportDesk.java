package io.smtpassistant.app.config;

import io.smtpassistant.core.engine.SupportDesk;
import io.smtpassistant.core.engine.SupportRequestDraft;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.TreeStep;
import java.time.Clock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's support desk backed by the durable request store: {@link #open} returns the id only
 * after the store committed the request. Notifying and relaying go to the platform's support
 * channel when there is one (Slack, Teams); in the terminal the support team works with
 * {@code smtp-assistant requests}, so they are logged.
 */
public final class StoreSupportDesk implements SupportDesk {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSupportDesk.class);

    private final SupportRequestStore store;
    private final Clock clock;
    private final BiConsumer<SupportRequest, String> channel;

    /**
     * @param channel posts a request (and, with a text, a relayed message) to the support channel;
     *                null when there is none
     */
    public StoreSupportDesk(SupportRequestStore store, Clock clock, BiConsumer<SupportRequest, String> channel) {
        this.store = store;
        this.clock = clock;
        this.channel = channel;
    }

    @Override
    public String open(SupportRequestDraft d) {
        SupportRequest created = store.create(NewSupportRequest.of(new Requester(d.platform(), d.userId(), d.displayName()),
                d.summary(), d.settings(), d.lastReport().orElse(null),
                d.path().stream().map(p -> new TreeStep(p.node(), p.answer())).toList(), d.note(), clock.instant()));
        return created.id();
    }

    @Override
    public void notifySupport(String requestId) {
        if (channel == null) {
            LOG.info("support request {} stored; support agents see it with 'smtp-assistant requests show {}'", requestId, requestId);
            return;
        }
        store.find(requestId).ifPresent(r -> channel.accept(r, null));
    }

    @Override
    public void relay(String requestId, String author, String text) {
        if (channel == null) {
            LOG.info("message for support request {} from {} ({} characters)", requestId, author, text.length());
            return;
        }
        store.find(requestId).ifPresent(r -> channel.accept(r, text));
    }
}

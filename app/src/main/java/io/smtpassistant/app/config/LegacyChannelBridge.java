package io.smtpassistant.app.config;

import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A bridge from the outbox to the Slack and Teams adapters' current support code, until they are
 * moved onto {@link io.smtpassistant.core.support.SupportWorkflow}: an OPENED event posts the request
 * with the adapter's callback ({@code text == null}), a REQUESTER_MESSAGE passes the message on;
 * the adapters still tell their requesters about claims and resolves themselves, so other events
 * are delivered as "not rendered here". The callback reports no failure, so a delivery counts as
 * done once the callback returned; an exception from it is retried.
 */
public final class LegacyChannelBridge implements SupportChannel {

    private final String id;
    private final BiConsumer<SupportRequest, String> post;
    private final Optional<String> problem;

    /**
     * @param id      {@code slack} or {@code teams}
     * @param post    the adapter's support-channel callback
     * @param problem what is wrong with the channel's configuration, found at start, or empty
     */
    public LegacyChannelBridge(String id, BiConsumer<SupportRequest, String> post, Optional<String> problem) {
        this.id = Objects.requireNonNull(id, "id");
        this.post = Objects.requireNonNull(post, "post");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean accepts(SupportEvent event) {
        return switch (event.type()) {
            case OPENED, REQUESTER_MESSAGE -> true;
            default -> false;
        };
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        post.accept(request, event.type() == io.smtpassistant.core.support.SupportEventType.OPENED ? null : event.text());
        return new Delivery.Delivered("passed to the " + id + " adapter");
    }

    @Override
    public Optional<String> selfCheck() {
        return problem;
    }
}

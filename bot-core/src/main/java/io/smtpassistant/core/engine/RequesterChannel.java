package io.smtpassistant.core.engine;

import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The support channel {@value #ID}: brings a request's life back into the requester's own
 * conversation through the {@link ConversationRuntime}: claimed by whom, agent messages, resolved
 * (with the note, or a plain "resolved"), reopened, released, re-check asked. The engine renders them
 * in the requester's language; events the requester caused are not echoed back.
 *
 * <p>Delivery is a queued input of the requester's conversation ({@link ConversationRuntime#submit}),
 * so it returns at once. A request of a platform this process does not serve (another process's
 * chat), or whose conversation this process cannot name, counts as delivered with a receipt
 * saying so: that process's relay has the channel too. A conversation that forgot its request (a
 * restart) takes it up again when the event arrives.
 */
public final class RequesterChannel implements SupportChannel {

    /** The channel id in the outbox. */
    public static final String ID = "requester";

    private final ConversationRuntime runtime;
    private final Set<String> platforms;
    private final Function<SupportRequest, Optional<ConversationKey>> conversation;

    /**
     * @param platforms    the requester platforms this process talks to (e.g. {@code terminal})
     * @param conversation the requester's conversation for a request, empty when unknown here
     */
    public RequesterChannel(ConversationRuntime runtime, Set<String> platforms,
                            Function<SupportRequest, Optional<ConversationKey>> conversation) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.platforms = Set.copyOf(platforms);
        this.conversation = Objects.requireNonNull(conversation, "conversation");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        if (!platforms.contains(request.requester().platform())) {
            return new Delivery.Delivered("requester is on " + request.requester().platform() + ", not served here");
        }
        Optional<Input> input = input(event, request);
        if (input.isEmpty()) {
            return new Delivery.Delivered("nothing to tell the requester");
        }
        Optional<ConversationKey> key = conversation.apply(request);
        if (key.isEmpty()) {
            return new Delivery.Delivered("the requester's conversation is not known in this process");
        }
        runtime.submit(key.get(), null, request.requester().displayName(), input.get());
        return new Delivery.Delivered("queued for " + key.get());
    }

    /** What the requester's conversation hears of an event; empty for their own doings. */
    static Optional<Input> input(SupportEvent e, SupportRequest r) {
        if (r.requester().is(e.actor())) {
            return Optional.empty();
        }
        String who = e.actor().name();
        return switch (e.type()) {
            case OPENED, REQUESTER_MESSAGE, RERUN_DONE -> Optional.empty();
            case CLAIMED -> Optional.of(new Input.RequestUpdated(r.id(), Input.RequestUpdated.Status.CLAIMED, who, ""));
            case RELEASED -> Optional.of(new Input.RequestUpdated(r.id(), Input.RequestUpdated.Status.RELEASED, who, ""));
            case RESOLVED -> Optional.of(new Input.RequestUpdated(r.id(), Input.RequestUpdated.Status.RESOLVED, who, e.text()));
            case REOPENED -> Optional.of(new Input.RequestUpdated(r.id(), Input.RequestUpdated.Status.REOPENED, who, ""));
            case AGENT_MESSAGE -> Optional.of(new Input.SupportMessage(r.id(), who, e.text()));
            case RECHECK_ASKED -> Optional.of(new Input.RecheckAsked(r.id(), who));
        };
    }
}

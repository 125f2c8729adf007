package io.smtpassistant.app.slack;

import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.util.List;
import java.util.Map;

/**
 * Public entry to {@link FakeSlack} for the cross-platform conversation scripts in other packages:
 * the real app over real HTTP, Slack's Web API recorded, signed requests posted in.
 */
public final class SlackForScripts implements AutoCloseable {

    /** What the app answered to a request Slack sent it. */
    public record Answer(int status, String body) {
    }

    private final FakeSlack slack;

    public SlackForScripts(Map<String, String> env) throws Exception {
        this(new FakeSlack(env));
    }

    private SlackForScripts(FakeSlack slack) {
        this.slack = slack;
    }

    /**
     * Only Slack's side, for app processes started elsewhere: give them {@link #appEnv()}, then point
     * the requests Slack sends at them with {@link #targets}.
     */
    public static SlackForScripts webApiOnly() throws Exception {
        return new SlackForScripts(FakeSlack.apiOnly());
    }

    /** The bot token, signing secret and Web API URL an app process needs to talk to this Slack. */
    public Map<String, String> appEnv() {
        return slack.appEnv(Map.of());
    }

    /** Requests Slack sends go to these app ports in turn, one request each (a load balancer's round robin). */
    public void targets(int... ports) {
        slack.targets(ports);
    }

    /** The {@code message.im} event of {@code user} writing {@code text}, with a fresh message ts. */
    public String dmEvent(String user, String text) {
        return slack.dmEvent(user, text);
    }

    /** A fresh event id. */
    public String nextEventId() {
        return slack.nextEventId();
    }

    /** Delivers an event to the app at {@code port} with extra headers (a retry's {@code X-Slack-Retry-Num}). */
    public Answer eventTo(int port, String eventId, String eventJson, Map<String, String> headers) throws Exception {
        return answer(slack.eventTo(port, eventId, eventJson, headers));
    }

    /** Every Web API call the app made so far, in order. */
    public List<Recorded> requests() {
        return slack.api.requests();
    }

    public Answer dm(String user, String text) throws Exception {
        return answer(slack.dm(user, text));
    }

    /** Clicks the button whose label starts with {@code labelStart} in a message the app posted. */
    public Answer clickIn(String user, Recorded posted, String labelStart, String triggerId) throws Exception {
        return answer(slack.clickIn(user, posted, labelStart, triggerId));
    }

    /** Clicks the button whose label starts with {@code labelStart} in a message as the app last updated it. */
    public Answer clickInUpdated(String user, Recorded update, String labelStart, String triggerId) throws Exception {
        Map<String, String> p = FakeSlack.form(update.body());
        return answer(slack.click(user, p.get("channel"), FakeSlack.buttonValue(update, labelStart), p.get("ts"), triggerId));
    }

    public Answer submitModal(String user, String callbackId, String metadata, Map<String, String> texts, Map<String, String> selects)
            throws Exception {
        return answer(slack.submitModal(user, callbackId, metadata, texts, selects));
    }

    /** Submits a modal to the app at {@code port}. */
    public Answer submitModalTo(int port, String user, String callbackId, String metadata, Map<String, String> texts,
                                Map<String, String> selects) throws Exception {
        return answer(slack.submitModalTo(port, user, callbackId, metadata, texts, selects));
    }

    /**
     * How many distinct messages in {@code channel} contain {@code text} in what the app posted or
     * last updated them to (a message is its ts: a post's ts as the fake answered it, an update's ts).
     */
    public long distinctMessages(String channel, String text) throws Exception {
        java.util.Set<String> ts = new java.util.HashSet<>();
        for (Recorded r : slack.api.requests()) {
            Map<String, String> p = FakeSlack.form(r.body());
            if (!channel.equals(p.get("channel")) || !FakeSlack.content(r).contains(text)) {
                continue;
            }
            if (r.path().endsWith("/chat.postMessage")) {
                ts.add(slack.tsOf(r));
            } else if (r.path().endsWith("/chat.update")) {
                ts.add(p.get("ts"));
            }
        }
        return ts.size();
    }

    /** The form parameters of a Web API call. */
    public static Map<String, String> form(String body) {
        return FakeSlack.form(body);
    }

    private static Answer answer(FakeSlack.Answer a) {
        return new Answer(a.status(), a.body());
    }

    @Override
    public void close() {
        slack.close();
    }
}

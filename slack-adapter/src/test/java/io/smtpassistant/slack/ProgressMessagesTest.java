package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.model.block.LayoutBlock;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One message per check, at most one update per interval, the last state always shown; a fake clock and a manual scheduler. */
class ProgressMessagesTest {

    private final List<String> calls = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final ProgressMessages.Poster poster = new ProgressMessages.Poster() {
        @Override
        public Optional<String> post(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
            calls.add("post " + lines(blocks));
            return Optional.of("1.0");
        }

        @Override
        public boolean update(String channel, String ts, String text, List<LayoutBlock> blocks) {
            calls.add("update " + lines(blocks));
            return true;
        }
    };
    private final ProgressMessages progress = new ProgressMessages(poster, now::get, (task, delay) -> scheduled.add(task),
            Duration.ofSeconds(1));
    private final ConversationKey key = new ConversationKey("slack", "T", "U", "D");

    private static int lines(List<LayoutBlock> blocks) {
        return blocks.toString().split(":white_check_mark:", -1).length - 1;
    }

    private void stage(String name) {
        progress.progress(key, "D", null, new Reply.Progress(name, StageStatus.PASSED, 1, ""), TestWords.ENGLISH);
    }

    @Test
    void stagesWithinASecondAreCoalescedAndTheReportReplacesTheMessage() {
        stage("dns");
        stage("connect");
        stage("greeting");
        assertEquals(List.of("post 1"), calls, "the first stage posts; the next two wait for the interval");
        assertEquals(1, scheduled.size(), "one deferred update, not one per stage");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        scheduled.remove(0).run();
        assertEquals(List.of("post 1", "update 3"), calls);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        stage("ehlo");
        assertEquals("update 4", calls.get(calls.size() - 1), "after the interval an update goes out at once");
        stage("tls");
        progress.finish(key, "D", null, List.of(BlockKit.markdown("report")), "report");
        assertTrue(calls.get(calls.size() - 1).startsWith("update"), "the report replaces the progress message at once");
        int before = calls.size();
        scheduled.forEach(Runnable::run);
        assertEquals(before, calls.size(), "a deferred update after the report changes nothing");
    }

    @Test
    void aReportWithoutProgressIsPostedAndANewCheckGetsANewMessage() {
        progress.finish(key, "D", null, List.of(BlockKit.markdown("report")), "report");
        stage("dns");
        progress.reset(key);
        stage("dns");
        assertEquals(List.of("post 0", "post 1", "post 1"), calls);
    }
}

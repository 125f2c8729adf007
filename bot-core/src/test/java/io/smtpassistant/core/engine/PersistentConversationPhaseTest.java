package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.core.support.StoredConversations;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phase of a kept conversation comes from its own column (migration V7), so the terminal chat learns whether
 * there is something to continue without reading the state back; a row saved before the column is read whole.
 */
class PersistentConversationPhaseTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final ConversationKey KEY = new ConversationKey("terminal", "", "anna", "");

    @Test
    void thePhaseIsReadFromItsColumnAndARowWithoutOneIsReadWhole(@TempDir Path dir) {
        TestClock clock = new TestClock(T0);
        try (SupportRequestStore requests = SupportRequestStores.h2(dir).open()) {
            StoredConversations rows = requests.conversations();
            PersistentConversationStore store = new PersistentConversationStore(rows, Duration.ofDays(7), 100, clock);
            String row = PersistentConversationStore.rowKey(KEY);
            Instant later = T0.plus(Duration.ofDays(1));

            // a state that cannot be read, with its phase beside it: the phase is known all the same
            rows.save(row, "{ not a conversation", later, false, "TREE_QUESTION");
            assertEquals(Optional.of(Phase.TREE_QUESTION), store.phase(KEY));

            // saved before the column existed: the state itself says where it stands
            Conversation checking = StoredStates.at(KEY, new Awaiting.Checking("check-smtp"), T0);
            store.save(checking);
            String state = rows.load(row, T0).orElseThrow();
            rows.save(row, state, later, true);
            PersistentConversationStore fresh = new PersistentConversationStore(rows, Duration.ofDays(7), 100, clock);
            assertEquals(Optional.of(""), rows.phase(row, T0), "saved without a phase");
            assertEquals(Optional.of(checking.phase()), fresh.phase(KEY));

            fresh.delete(KEY);
            assertEquals(Optional.empty(), fresh.phase(KEY));
        }
    }
}

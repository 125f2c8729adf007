package io.smtpassistant.core.support;

import static io.smtpassistant.core.support.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.TranscriptLine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SupportRequestStore} must do. A subclass supplies one database per test class;
 * each test starts with empty tables.
 */
@Timeout(60)
abstract class SupportRequestStoreContract {

    /** A builder for this class's database. */
    protected abstract SupportRequestStores.Builder builder();

    /** A plain JDBC connection to the same database, to empty the tables and read raw rows. */
    protected abstract Connection rawConnection() throws SQLException;

    protected SupportRequestStore store;

    @BeforeEach
    void openEmptyStore() throws SQLException {
        store = builder().open();
        try (Connection c = rawConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM support_delivery");
            st.executeUpdate("DELETE FROM support_channel");
            st.executeUpdate("DELETE FROM support_event");
            st.executeUpdate("DELETE FROM support_link");
            st.executeUpdate("DELETE FROM support_request_history");
            st.executeUpdate("DELETE FROM support_request");
            st.executeUpdate("DELETE FROM conversation_state");
            st.executeUpdate("DELETE FROM conversation_outcome");
        }
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // --- create and find ---------------------------------------------------------------------------

    @Test
    void createReturnsAnOpenUnassignedRequestWithAFreshId() {
        SupportRequest r = store.create(Fixtures.request("SMTP AUTH refused by Microsoft 365", T0));
        assertTrue(r.id().matches("SR-[0-9A-HJKMNP-TV-Z]{5}"), r.id());
        assertEquals(RequestStatus.OPEN, r.status());
        assertEquals(Optional.empty(), r.assignee());
        assertEquals(List.of(), r.history());
    }

    @Test
    void findReturnsExactlyWhatCreateReturned() {
        SupportRequest created = store.create(Fixtures.request("SMTP AUTH refused by Microsoft 365", T0));
        assertEquals(Optional.of(created), store.find(created.id()));
    }

    @Test
    void everyPartOfTheRequestIsKept() {
        NewSupportRequest n = Fixtures.request("SMTP AUTH refused by Microsoft 365", T0);
        SupportRequest r = store.find(store.create(n).id()).orElseThrow();
        assertEquals(n.requester(), r.requester());
        assertEquals("SMTP AUTH refused by Microsoft 365", r.summary());
        assertEquals(Fixtures.settings(), r.settings());
        assertEquals(Optional.of(Fixtures.snapshot()), r.lastCheck());
        assertEquals(n.treePath(), r.treePath());
        assertEquals("We changed the password yesterday.\nStill failing.", r.note());
        assertEquals(T0.truncatedTo(ChronoUnit.MICROS), r.createdAt(), "stored to the microsecond");
    }

    @Test
    void aRequestWithoutCheckOrSettingsIsKeptToo() {
        NewSupportRequest n = new NewSupportRequest(Fixtures.requester("U1"), "I need a human", new CheckSettings(null, 0, null,
                null, null, null, false), Optional.empty(), List.of(), "", T0);
        SupportRequest r = store.find(store.create(n).id()).orElseThrow();
        assertEquals(Optional.empty(), r.lastCheck());
        assertEquals("", r.settings().host());
        assertEquals(List.of(), r.treePath());
        assertEquals("", r.note());
    }

    @Test
    void findTakesTheIdInAnyCaseWithOrWithoutPrefix() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        String symbols = r.id().substring(3);
        assertEquals(Optional.of(r), store.find(r.id().toLowerCase()));
        assertEquals(Optional.of(r), store.find(symbols));
        assertEquals(Optional.of(r), store.find("  " + r.id() + " "));
    }

    @Test
    void findOfAnUnknownOrMalformedIdIsEmpty() {
        store.create(Fixtures.request("x", T0));
        assertEquals(Optional.empty(), store.find("SR-00000"));
        assertEquals(Optional.empty(), store.find("SR-UUUUU"));
        assertEquals(Optional.empty(), store.find("42"));
        assertEquals(Optional.empty(), store.find(""));
    }

    @Test
    void aCreatedRequestIsStillThereAfterTheStoreIsReopened() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.close();
        store = builder().open();
        assertEquals(Optional.of(r), store.find(r.id()));
    }

    // --- lists ------------------------------------------------------------------------------------

    @Test
    void listIsNewestFirstAndStopsAtTheLimit() {
        SupportRequest a = store.create(Fixtures.request("a", T0));
        SupportRequest b = store.create(Fixtures.request("b", T0.plusSeconds(60)));
        SupportRequest c = store.create(Fixtures.request("c", T0.plusSeconds(30)));
        assertEquals(List.of(b, c, a), store.list(Optional.empty(), 10));
        assertEquals(List.of(b, c), store.list(Optional.empty(), 2));
    }

    @Test
    void requestsCreatedAtTheSameInstantListInReverseCreationOrder() {
        List<String> ids = IntStream.range(0, 4).mapToObj(i -> store.create(Fixtures.request("same " + i, T0)).id()).toList();
        List<String> listed = store.list(Optional.empty(), 10).stream().map(SupportRequest::id).toList();
        assertEquals(ids.reversed(), listed);
    }

    @Test
    void listFiltersByStatus() {
        SupportRequest open = store.create(Fixtures.request("open", T0));
        SupportRequest claimed = store.create(Fixtures.request("claimed", T0.plusSeconds(1)));
        SupportRequest resolved = store.create(Fixtures.request("resolved", T0.plusSeconds(2)));
        store.claim(claimed.id(), "Sam Support", T0.plusSeconds(10));
        store.resolve(resolved.id(), "Sam Support", "fixed", T0.plusSeconds(11));
        assertEquals(List.of(open.id()), ids(store.list(Optional.of(RequestStatus.OPEN), 10)));
        assertEquals(List.of(claimed.id()), ids(store.list(Optional.of(RequestStatus.CLAIMED), 10)));
        assertEquals(List.of(resolved.id()), ids(store.list(Optional.of(RequestStatus.RESOLVED), 10)));
        assertEquals(List.of(resolved.id(), claimed.id(), open.id()), ids(store.list(Optional.empty(), 10)));
    }

    @Test
    void listByRequesterShowsOnlyThatPersonsRequestsOnThatPlatform() {
        SupportRequest mine1 = store.create(Fixtures.request(Fixtures.requester("U1"), "mine 1", T0));
        store.create(Fixtures.request(Fixtures.requester("U2"), "theirs", T0.plusSeconds(1)));
        store.create(Fixtures.request(new Requester("teams", "U1", "Same id, other platform"), "other platform", T0.plusSeconds(2)));
        SupportRequest mine2 = store.create(Fixtures.request(Fixtures.requester("U1"), "mine 2", T0.plusSeconds(3)));
        assertEquals(List.of(mine2, mine1), store.listByRequester("slack", "U1", 10));
        assertEquals(List.of(mine2), store.listByRequester("SLACK", "U1", 1));
        assertEquals(List.of(), store.listByRequester("slack", "U9", 10));
    }

    @Test
    void listsCarryTheHistory() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        Transition t = store.claim(r.id(), "Sam Support", T0.plusSeconds(5));
        SupportRequest claimed = assertInstanceOf(Transition.Applied.class, t).request();
        assertEquals(List.of(claimed), store.list(Optional.empty(), 5));
        assertEquals(List.of(claimed), store.listByRequester("slack", "U012AB3CD", 5));
    }

    @Test
    void aLimitOutsideOneToOneThousandIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> store.list(Optional.empty(), 0));
        assertThrows(IllegalArgumentException.class, () -> store.list(Optional.empty(), 1001));
        assertThrows(IllegalArgumentException.class, () -> store.listByRequester("slack", "U1", 0));
    }

    // --- status changes ---------------------------------------------------------------------------

    @Test
    void claimMovesAnOpenRequestToClaimedAndRecordsIt() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        Instant at = us(T0.plusSeconds(90));
        SupportRequest claimed = applied(store.claim(r.id(), "Sam Support", at));
        assertEquals(RequestStatus.CLAIMED, claimed.status());
        assertEquals(Optional.of("Sam Support"), claimed.assignee());
        assertEquals(List.of(new StatusChange(at, "Sam Support", RequestStatus.OPEN, RequestStatus.CLAIMED, "")), claimed.history());
        assertEquals(Optional.of(claimed), store.find(r.id()));
    }

    @Test
    void anotherAssigneeTakesAClaimedRequestOverAndTheHandOverIsRecorded() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.claim(r.id(), "Sam Support", T0.plusSeconds(1));
        SupportRequest taken = applied(store.claim(r.id(), "Kim Second-Level", T0.plusSeconds(2)));
        assertEquals(Optional.of("Kim Second-Level"), taken.assignee());
        assertEquals(RequestStatus.CLAIMED, taken.status());
        assertEquals(2, taken.history().size());
        StatusChange handOver = taken.history().get(1);
        assertEquals(RequestStatus.CLAIMED, handOver.from());
        assertEquals(RequestStatus.CLAIMED, handOver.to());
        assertEquals("Kim Second-Level", handOver.actor());
        assertEquals("taken over from Sam Support", handOver.note());
        assertEquals(Optional.of(taken), store.find(r.id()));
    }

    @Test
    void claimingAgainByTheSameAssigneeChangesNothing() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        SupportRequest first = applied(store.claim(r.id(), "Sam Support", T0.plusSeconds(1)));
        SupportRequest again = applied(store.claim(r.id(), "Sam Support", T0.plusSeconds(2)));
        assertEquals(first, again);
        assertEquals(1, store.find(r.id()).orElseThrow().history().size());
    }

    @Test
    void resolveClosesAnOpenRequestAndKeepsItUnassigned() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        SupportRequest done = applied(store.resolve(r.id(), "Sam Support", "Asked IT to enable SMTP AUTH.", T0.plusSeconds(3)));
        assertEquals(RequestStatus.RESOLVED, done.status());
        assertEquals(Optional.empty(), done.assignee());
        assertEquals(List.of(new StatusChange(us(T0.plusSeconds(3)), "Sam Support", RequestStatus.OPEN, RequestStatus.RESOLVED,
                "Asked IT to enable SMTP AUTH.")), done.history());
        assertEquals(Optional.of(done), store.find(r.id()));
    }

    @Test
    void resolveClosesAClaimedRequestAndKeepsTheAssignee() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.claim(r.id(), "Sam Support", T0.plusSeconds(1));
        SupportRequest done = applied(store.resolve(r.id(), "Sam Support", "App password set up.\nWorks now.", T0.plusSeconds(2)));
        assertEquals(Optional.of("Sam Support"), done.assignee());
        assertEquals(List.of(RequestStatus.CLAIMED, RequestStatus.RESOLVED), done.history().stream().map(StatusChange::to).toList());
        assertEquals("App password set up.\nWorks now.", done.history().get(1).note());
    }

    @Test
    void aResolvedRequestCanBeNeitherResolvedNorClaimedAgain() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        SupportRequest done = applied(store.resolve(r.id(), "Sam Support", "fixed", T0.plusSeconds(1)));

        Transition.Refused again = assertInstanceOf(Transition.Refused.class,
                store.resolve(r.id(), "Kim", "again", T0.plusSeconds(2)));
        assertEquals(done, again.current());
        assertEquals(RequestStatus.RESOLVED, again.wanted());
        assertTrue(again.reason().contains(r.id()) && again.reason().contains("already resolved"), again.reason());

        Transition.Refused claim = assertInstanceOf(Transition.Refused.class, store.claim(r.id(), "Kim", T0.plusSeconds(3)));
        assertEquals(RequestStatus.CLAIMED, claim.wanted());
        assertTrue(claim.reason().contains("resolved"), claim.reason());

        assertEquals(Optional.of(done), store.find(r.id()), "a refused change leaves no trace");
    }

    @Test
    void changesToAnUnknownIdAreUnknownId() {
        store.create(Fixtures.request("x", T0));
        assertEquals(new Transition.UnknownId("SR-00000"), store.claim("sr-00000", "Sam", T0));
        assertEquals(new Transition.UnknownId("SR-00000"), store.resolve("SR-00000", "Sam", "", T0));
        assertEquals(new Transition.UnknownId("not an id"), store.claim("not an id", "Sam", T0));
    }

    @Test
    void aBlankAssigneeOrActorIsAnError() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        assertThrows(IllegalArgumentException.class, () -> store.claim(r.id(), " ", T0));
        assertThrows(IllegalArgumentException.class, () -> store.resolve(r.id(), "", "note", T0));
        assertEquals(RequestStatus.OPEN, store.find(r.id()).orElseThrow().status());
    }

    @Test
    void theHistoryKeepsEveryChangeInOrder() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.claim(r.id(), "A", T0.plusSeconds(1));
        store.claim(r.id(), "B", T0.plusSeconds(2));
        store.claim(r.id(), "C", T0.plusSeconds(3));
        SupportRequest done = applied(store.resolve(r.id(), "C", "done", T0.plusSeconds(4)));
        assertEquals(List.of("A", "B", "C", "C"), done.history().stream().map(StatusChange::actor).toList());
        assertEquals(List.of(us(T0.plusSeconds(1)), us(T0.plusSeconds(2)), us(T0.plusSeconds(3)), us(T0.plusSeconds(4))),
                done.history().stream().map(StatusChange::at).toList());
        assertEquals(Optional.of(done), store.find(r.id()));
    }

    @Test
    void ofConcurrentResolvesExactlyOneWins() throws Exception {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        int agents = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Transition>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(agents)) {
            for (int i = 0; i < agents; i++) {
                String agent = "agent " + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.resolve(r.id(), agent, "mine", T0.plusSeconds(1));
                }));
            }
            start.countDown();
            int applied = 0;
            int refused = 0;
            for (Future<Transition> f : results) {
                switch (f.get(30, TimeUnit.SECONDS)) {
                    case Transition.Applied a -> applied++;
                    case Transition.Refused x -> refused++;
                    case Transition.UnknownId u -> throw new AssertionError(u);
                }
            }
            assertEquals(1, applied);
            assertEquals(agents - 1, refused);
        }
        assertEquals(1, store.find(r.id()).orElseThrow().history().size());
    }

    // --- links to chat threads ---------------------------------------------------------------------

    private static final SupportLinks.ThreadRef THREAD = new SupportLinks.ThreadRef("CSUPPORT:1700000000.000100", "1700000000.000100");
    private static final String CONVERSATION = "{\"team\":\"T1\",\"user\":\"U1\",\"thread\":\"DU1\"}";

    @Test
    void aRequestHasNoLinksUntilTheyAreRecorded() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        assertEquals(Optional.empty(), store.links().find("slack", r.id()));
        assertEquals(Optional.empty(), store.links().findByThread("slack", THREAD.key()));
    }

    @Test
    void theThreadAndTheRequesterAreFoundByRequestAndByThread() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        assertTrue(store.links().linkThread("slack", r.id(), THREAD));
        assertTrue(store.links().linkRequester("slack", r.id(), CONVERSATION));
        SupportLinks expected = new SupportLinks(r.id(), "slack", Optional.of(THREAD), Optional.of(CONVERSATION));
        assertEquals(Optional.of(expected), store.links().find("slack", r.id()));
        assertEquals(Optional.of(expected), store.links().find("SLACK", r.id().substring(3).toLowerCase()));
        assertEquals(Optional.of(expected), store.links().findByThread("slack", THREAD.key()));
    }

    @Test
    void eitherLinkMayComeFirstAndAloneAndTheOtherIsKept() {
        SupportRequest a = store.create(Fixtures.request("a", T0));
        SupportRequest b = store.create(Fixtures.request("b", T0));
        store.links().linkRequester("teams", a.id(), CONVERSATION);
        store.links().linkThread("teams", b.id(), THREAD);
        assertEquals(Optional.of(new SupportLinks(a.id(), "teams", Optional.empty(), Optional.of(CONVERSATION))),
                store.links().find("teams", a.id()));
        assertEquals(Optional.of(new SupportLinks(b.id(), "teams", Optional.of(THREAD), Optional.empty())),
                store.links().find("teams", b.id()));
        store.links().linkThread("teams", a.id(), new SupportLinks.ThreadRef("chain-a", "{}"));
        assertEquals(Optional.of(CONVERSATION), store.links().find("teams", a.id()).orElseThrow().requester());
    }

    @Test
    void linksSurviveReopeningTheStore() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.links().linkThread("slack", r.id(), THREAD);
        store.links().linkRequester("slack", r.id(), CONVERSATION);
        try (SupportRequestStore reopened = builder().open()) {
            SupportLinks links = reopened.links().findByThread("slack", THREAD.key()).orElseThrow();
            assertEquals(r.id(), links.requestId());
            assertEquals(Optional.of(CONVERSATION), links.requester());
        }
    }

    @Test
    void linkingAgainReplacesTheEarlierLink() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.links().linkThread("slack", r.id(), THREAD);
        store.links().linkRequester("slack", r.id(), CONVERSATION);
        SupportLinks.ThreadRef newer = new SupportLinks.ThreadRef("CSUPPORT:1700000001.000200", "1700000001.000200");
        store.links().linkThread("slack", r.id(), newer);
        store.links().linkRequester("slack", r.id(), "{\"thread\":\"C1:1.2\"}");
        assertEquals(Optional.of(new SupportLinks(r.id(), "slack", Optional.of(newer), Optional.of("{\"thread\":\"C1:1.2\"}"))),
                store.links().find("slack", r.id()));
        assertEquals(Optional.empty(), store.links().findByThread("slack", THREAD.key()), "the old thread no longer leads here");
    }

    @Test
    void linksArePerPlatform() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        store.links().linkThread("slack", r.id(), THREAD);
        store.links().linkThread("teams", r.id(), new SupportLinks.ThreadRef(THREAD.key(), "{\"serviceUrl\":\"https://smba\"}"));
        assertEquals("1700000000.000100", store.links().findByThread("slack", THREAD.key()).orElseThrow().thread().orElseThrow().data());
        assertEquals("teams", store.links().findByThread("teams", THREAD.key()).orElseThrow().platform());
        assertEquals(Optional.empty(), store.links().find("terminal", r.id()));
    }

    @Test
    void aThreadKeyLinkedToAnotherRequestMovesThere() {
        List<SupportRequest> requests = List.of(store.create(Fixtures.request("a", T0)), store.create(Fixtures.request("b", T0)));
        for (SupportRequest r : requests) {
            assertTrue(store.links().linkThread("slack", r.id(), THREAD));
        }
        assertEquals(requests.get(1).id(), store.links().findByThread("slack", THREAD.key()).orElseThrow().requestId());
        assertEquals(Optional.empty(), store.links().find("slack", requests.get(0).id()).orElseThrow().thread());
    }

    @Test
    void anUnknownOrMalformedIdIsNotLinked() throws SQLException {
        assertFalse(store.links().linkThread("slack", "SR-00000", THREAD));
        assertFalse(store.links().linkRequester("slack", "not an id", CONVERSATION));
        assertEquals(Optional.empty(), store.links().find("slack", "SR-00000"));
        assertEquals(Optional.empty(), store.links().find("slack", "not an id"));
        try (Connection c = rawConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM support_link")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void blankOrOversizedLinkValuesAreErrors() {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        assertThrows(IllegalArgumentException.class, () -> store.links().linkRequester(" ", r.id(), CONVERSATION));
        assertThrows(IllegalArgumentException.class, () -> store.links().linkRequester("slack", r.id(), ""));
        assertThrows(IllegalArgumentException.class,
                () -> store.links().linkRequester("slack", r.id(), "x".repeat(SupportLinkStore.MAX_DATA + 1)));
        assertThrows(IllegalArgumentException.class, () -> new SupportLinks.ThreadRef("a\nb", "x"));
        assertThrows(IllegalArgumentException.class, () -> new SupportLinks.ThreadRef("x".repeat(SupportLinkStore.MAX_KEY + 1), "x"));
        assertThrows(IllegalArgumentException.class, () -> new SupportLinks.ThreadRef("k", " "));
        assertEquals(Optional.empty(), store.links().find("slack", r.id()));
    }

    @Test
    void concurrentLinksOfOneRequestAreAllKept() throws Exception {
        SupportRequest r = store.create(Fixtures.request("x", T0));
        List<String> platforms = List.of("slack", "teams", "slack", "teams", "slack", "teams");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(platforms.size() * 2)) {
            for (String p : platforms) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.links().linkThread(p, r.id(), new SupportLinks.ThreadRef(p + "-thread", p));
                }));
                results.add(pool.submit(() -> {
                    start.await();
                    return store.links().linkRequester(p, r.id(), p + "-conversation");
                }));
            }
            start.countDown();
            for (Future<Boolean> f : results) {
                assertTrue(f.get(30, TimeUnit.SECONDS));
            }
        }
        for (String p : List.of("slack", "teams")) {
            assertEquals(Optional.of(new SupportLinks(r.id(), p, Optional.of(new SupportLinks.ThreadRef(p + "-thread", p)),
                    Optional.of(p + "-conversation"))), store.links().find(p, r.id()));
        }
    }

    @Test
    void aClosedStoreRefusesLinks() {
        SupportRequestStore other = builder().open();
        SupportLinkStore links = other.links();
        other.close();
        assertThrows(IllegalStateException.class, () -> links.find("slack", "SR-00000"));
    }

    // --- ids --------------------------------------------------------------------------------------

    @Test
    void idsAreUniqueUnderConcurrentCreates() throws Exception {
        int threads = 8;
        int each = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        ids.add(store.create(Fixtures.request(Fixtures.requester("U" + thread), "req " + thread + "/" + i,
                                T0.plusMillis(i))).id());
                    }
                    return ids;
                }));
            }
            start.countDown();
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get(Duration.ofSeconds(50).toSeconds(), TimeUnit.SECONDS));
            }
            assertEquals(threads * each, all.size(), "every create got its own id");
        }
        assertEquals(threads * each, store.list(Optional.empty(), 1000).size());
        assertEquals(each, store.listByRequester("slack", "U3", 1000).size());
    }

    @Test
    void whenTheDrawnIdIsTakenAnotherIsDrawn() {
        // two stores whose random sources repeat each other: the second store's first id is taken
        try (SupportRequestStore first = builder().random(new SplittableRandom(7)).open();
             SupportRequestStore second = builder().random(new SplittableRandom(7)).open()) {
            SupportRequest a = first.create(Fixtures.request("first", T0));
            SupportRequest b = second.create(Fixtures.request("second", T0));
            assertNotEquals(a.id(), b.id());
            assertEquals(SupportRequestIds.generate(new SplittableRandom(7)), a.id(), "the first draw was used");
            assertEquals("first", store.find(a.id()).orElseThrow().summary());
            assertEquals("second", store.find(b.id()).orElseThrow().summary());
        }
    }

    // --- JSON and secrets --------------------------------------------------------------------------

    @Test
    void theSnapshotRoundTripsThroughJsonAndTheStore() {
        CheckSnapshot s = Fixtures.snapshot();
        assertEquals(s, SupportJson.snapshotFromJson(SupportJson.toJson(s)));
        SupportRequest stored = store.find(store.create(Fixtures.request("x", T0)).id()).orElseThrow();
        assertEquals(Optional.of(s), stored.lastCheck());
        assertEquals(stored, SupportJson.requestFromJson(SupportJson.toJson(stored)));
    }

    @Test
    void noFormOfThePasswordFromARealCheckReachesTheStoredRows() throws SQLException {
        List<SupportRequest> created = new ArrayList<>();
        for (CheckReport report : Fixtures.realChecksWithCanary()) {
            NewSupportRequest n = NewSupportRequest.of(Fixtures.requester("U1"), "escalated after " + report.diagnosis(),
                    Fixtures.settings(), report, List.of(new TreeStep("auth", "tried again")), "please help", T0);
            created.add(store.create(n));
        }
        store.claim(created.get(0).id(), "Sam Support", T0.plusSeconds(1));
        assertTrue(created.stream().allMatch(r -> r.lastCheck().orElseThrow().transcript().stream()
                .anyMatch(l -> l.direction() == TranscriptLine.Direction.CLIENT && l.text().contains("<redacted>"))),
                () -> "the transcripts show the AUTH exchange, redacted: " + created.stream()
                        .map(r -> r.lastCheck().orElseThrow().transcript().toString()).toList());

        StringBuilder rows = new StringBuilder();
        try (Connection c = rawConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("support_request", "support_request_history")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            rows.append(rs.getString(i)).append('\t');
                        }
                        rows.append('\n');
                    }
                }
            }
        }
        assertTrue(rows.toString().contains("<redacted>"), "the rows hold the redacted transcript:\n" + rows);
        List<String> texts = new ArrayList<>(List.of(rows.toString()));
        for (SupportRequest r : created) {
            SupportRequest read = store.find(r.id()).orElseThrow();
            texts.add(read.toString());
            texts.add(SupportJson.toJson(read));
        }
        for (String text : texts) {
            for (String form : Fixtures.canaryForms()) {
                assertFalse(text.contains(form), "the password leaked as '" + form + "' into:\n" + text);
            }
        }
    }

    private static SupportRequest applied(Transition t) {
        return assertInstanceOf(Transition.Applied.class, t, () -> "expected Applied, got " + t).request();
    }

    /** A time as the store keeps it: to the microsecond. */
    private static Instant us(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static List<String> ids(List<SupportRequest> requests) {
        return requests.stream().map(SupportRequest::id).toList();
    }

    // --- workflow and outbox (V3) --------------------------------------------------------------------

    private static final SupportEvent.Actor ANNA = new SupportEvent.Actor("cli", "anna", "Anna Agent");
    private static final SupportEvent.Actor BEN = new SupportEvent.Actor("cli", "ben", "Ben Agent");

    private SupportWorkflow workflow(TestClock clock) {
        return SupportWorkflow.builder(store).clock(clock).reopenWindow(Duration.ofDays(3)).build();
    }

    private SupportRequest opened(SupportWorkflow w) {
        return ((WorkflowOutcome.Done) w.open(Fixtures.request("SMTP AUTH refused", T0))).request();
    }

    @Test
    void createWritesItsOpenedEventInTheSameCommit() {
        SupportRequest r = store.create(Fixtures.request("SMTP AUTH refused", T0));
        List<SupportEvent> events = store.outbox().events(r.id());
        assertEquals(1, events.size());
        SupportEvent e = events.getFirst();
        assertEquals(SupportEventType.OPENED, e.type());
        assertEquals(1, e.sequence());
        assertEquals("slack", e.actor().platform());
        assertEquals("U012AB3CD", e.actor().id());
        assertEquals("SMTP AUTH refused", e.text());
        assertEquals(T0.truncatedTo(ChronoUnit.MICROS), e.at());
    }

    @Test
    void everyWorkflowChangeWritesOneEventWithAUniqueStableIdInSequence() {
        TestClock clock = new TestClock(T0);
        SupportWorkflow w = workflow(clock);
        SupportRequest r = opened(w);
        SupportEvent.Actor requester = r.requester().asActor();
        assertInstanceOf(WorkflowOutcome.Done.class, w.claim(r.id(), ANNA, false));
        assertInstanceOf(WorkflowOutcome.Done.class, w.agentMessage(r.id(), ANNA, "Please check https://example.com/x"));
        assertInstanceOf(WorkflowOutcome.Done.class, w.requesterMessage(r.id(), requester, "done"));
        assertInstanceOf(WorkflowOutcome.Done.class, w.askRecheck(r.id(), ANNA));
        assertInstanceOf(WorkflowOutcome.Done.class, w.release(r.id(), ANNA));
        assertInstanceOf(WorkflowOutcome.Done.class, w.resolve(r.id(), BEN, ""));
        clock.advance(Duration.ofDays(1));
        WorkflowOutcome after = w.requesterMessage(r.id(), requester, "it broke again");
        SupportRequest now = assertInstanceOf(WorkflowOutcome.Done.class, after).request();
        assertEquals(RequestStatus.OPEN, now.status());

        List<SupportEvent> events = store.outbox().events(r.id());
        assertEquals(List.of(SupportEventType.OPENED, SupportEventType.CLAIMED, SupportEventType.AGENT_MESSAGE,
                SupportEventType.REQUESTER_MESSAGE, SupportEventType.RECHECK_ASKED, SupportEventType.RELEASED,
                SupportEventType.RESOLVED, SupportEventType.REOPENED, SupportEventType.REQUESTER_MESSAGE),
                events.stream().map(SupportEvent::type).toList());
        assertEquals(LongStreamRange.of(1, events.size()), events.stream().map(SupportEvent::sequence).toList());
        assertEquals(events.size(), events.stream().map(SupportEvent::eventId).distinct().count());
        assertEquals(events, store.outbox().events(r.id()), "ids and texts are stable");
        assertEquals(List.of(RequestStatus.CLAIMED, RequestStatus.OPEN, RequestStatus.RESOLVED, RequestStatus.OPEN),
                now.history().stream().map(StatusChange::to).toList());
    }

    /** 1..n as a list of longs. */
    private static final class LongStreamRange {
        static List<Long> of(long from, long to) {
            List<Long> out = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                out.add(i);
            }
            return out;
        }
    }

    @Test
    void twentyConcurrentClaimsOneWinsTheOthersAreToldWhoHasIt() throws Exception {
        SupportWorkflow w = workflow(new TestClock(T0));
        SupportRequest r = opened(w);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<WorkflowOutcome>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SupportEvent.Actor agent = new SupportEvent.Actor("cli", "agent" + i, "Agent " + i);
                results.add(pool.submit(() -> {
                    go.await();
                    return w.claim(r.id(), agent, false);
                }));
            }
            go.countDown();
            List<WorkflowOutcome> outcomes = new ArrayList<>();
            for (Future<WorkflowOutcome> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            List<WorkflowOutcome.Done> won = outcomes.stream().filter(o -> o instanceof WorkflowOutcome.Done)
                    .map(o -> (WorkflowOutcome.Done) o).toList();
            assertEquals(1, won.size(), outcomes.toString());
            String winner = won.getFirst().request().assignee().orElseThrow();
            for (WorkflowOutcome o : outcomes) {
                if (o instanceof WorkflowOutcome.AlreadyClaimed a) {
                    assertEquals(winner, a.assignee());
                } else {
                    assertInstanceOf(WorkflowOutcome.Done.class, o);
                }
            }
            SupportRequest stored = store.find(r.id()).orElseThrow();
            assertEquals(Optional.of(winner), stored.assignee());
            assertEquals(1, stored.history().size());
            assertEquals(1, store.outbox().events(r.id()).stream().filter(e -> e.type() == SupportEventType.CLAIMED).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void takingOverNeedsTheFlagAndOwnClaimChangesNothing() {
        SupportWorkflow w = workflow(new TestClock(T0));
        SupportRequest r = opened(w);
        w.claim(r.id(), ANNA, false);
        WorkflowOutcome again = w.claim(r.id(), ANNA, false);
        assertEquals(Optional.empty(), assertInstanceOf(WorkflowOutcome.Done.class, again).event());
        WorkflowOutcome.AlreadyClaimed refused = assertInstanceOf(WorkflowOutcome.AlreadyClaimed.class, w.claim(r.id(), BEN, false));
        assertEquals("Anna Agent", refused.assignee());
        assertTrue(refused.describe().contains("already claimed by Anna Agent"), refused.describe());
        SupportRequest taken = assertInstanceOf(WorkflowOutcome.Done.class, w.claim(r.id(), BEN, true)).request();
        assertEquals(Optional.of("Ben Agent"), taken.assignee());
        assertEquals("taken over from Anna Agent", taken.history().getLast().note());
    }

    @Test
    void refusalsAreValues() {
        TestClock clock = new TestClock(T0);
        SupportWorkflow w = SupportWorkflow.builder(store).clock(clock).reopenWindow(Duration.ofDays(3))
                .policy(SupportPolicy.byPlatform(java.util.Map.of("cli", SupportPolicy.anyone()))).build();
        SupportRequest r = opened(w);
        assertInstanceOf(WorkflowOutcome.UnknownId.class, w.claim("SR-00000", ANNA, false));
        assertInstanceOf(WorkflowOutcome.UnknownId.class, w.claim("not an id", ANNA, false));
        WorkflowOutcome.NotAllowed denied = assertInstanceOf(WorkflowOutcome.NotAllowed.class,
                w.claim(r.id(), new SupportEvent.Actor("teams", "x", "X"), false));
        assertTrue(denied.reason().contains("teams"), denied.reason());
        assertInstanceOf(WorkflowOutcome.WrongStatus.class, w.release(r.id(), ANNA));
        assertInstanceOf(WorkflowOutcome.NotAllowed.class, w.requesterMessage(r.id(), ANNA, "I am not the requester"));
        assertInstanceOf(WorkflowOutcome.Invalid.class, w.agentMessage(r.id(), ANNA, "  "));
        assertInstanceOf(WorkflowOutcome.Invalid.class, w.rerun(r.id(), ANNA, null), "no checker configured");
        w.resolve(r.id(), ANNA, "fixed");
        assertInstanceOf(WorkflowOutcome.WrongStatus.class, w.resolve(r.id(), BEN, ""));
        assertInstanceOf(WorkflowOutcome.WrongStatus.class, w.claim(r.id(), BEN, false));
        clock.advance(Duration.ofDays(4));
        assertInstanceOf(WorkflowOutcome.WrongStatus.class, w.requesterMessage(r.id(), r.requester().asActor(), "again"),
                "outside the reopen window");
        assertEquals(Optional.empty(), w.followUpTarget("slack", "U012AB3CD"));
        assertEquals(RequestStatus.RESOLVED, store.find(r.id()).orElseThrow().status());
        assertInstanceOf(WorkflowOutcome.Done.class, w.reopen(r.id(), ANNA), "an agent may reopen at any time");
        assertEquals(Optional.of(r.id()), w.followUpTarget("slack", "U012AB3CD").map(SupportRequest::id));
    }

    @Test
    void aPasswordTypedIntoANoteOrMessageIsInNoStoredRow() throws SQLException {
        SupportWorkflow w = workflow(new TestClock(T0));
        SupportRequest r = ((WorkflowOutcome.Done) w.open(new NewSupportRequest(Fixtures.requester("U1"), "login fails",
                Fixtures.settings(), Optional.empty(), List.of(), "my password is " + Fixtures.CANARY, T0))).request();
        assertFalse(r.note().contains(Fixtures.CANARY), r.note());
        WorkflowOutcome.Done msg = assertInstanceOf(WorkflowOutcome.Done.class,
                w.requesterMessage(r.id(), r.requester().asActor(), "try " + Fixtures.CANARY + " please"));
        assertTrue(msg.masked());
        WorkflowOutcome.Done resolved = assertInstanceOf(WorkflowOutcome.Done.class,
                w.resolve(r.id(), ANNA, "user sent " + Fixtures.CANARY + ", told them to change it"));
        assertTrue(resolved.masked());
        assertTrue(resolved.event().orElseThrow().text().contains("********"));
        try (Connection c = rawConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("support_request", "support_request_history", "support_event", "support_delivery")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String v = rs.getString(i);
                            assertFalse(v != null && v.contains(Fixtures.CANARY), table + " column " + i + " holds the canary");
                        }
                    }
                }
            }
        }
    }

    @Test
    void deliveriesAreLeasedToOneRelayInOrderAndFencedByTheLeaseToken() {
        store.outbox().register("hook", T0);
        store.outbox().register("hook", T0); // idempotent
        assertEquals(List.of("hook"), store.outbox().channels());
        SupportWorkflow w = workflow(new TestClock(T0));
        SupportRequest r = opened(w);
        w.claim(r.id(), ANNA, false);
        Instant now = T0.plusSeconds(1);
        List<SupportOutbox.Lease> a = store.outbox().lease("hook", "a", now, Duration.ofMinutes(1), 10);
        assertEquals(1, a.size(), "only the first event of a request is offered");
        assertEquals(SupportEventType.OPENED, a.getFirst().event().type());
        assertEquals(List.of(), store.outbox().lease("hook", "b", now, Duration.ofMinutes(1), 10), "leased to a");
        // a dies; its lease expires and b takes the delivery
        Instant later = now.plus(Duration.ofMinutes(2));
        List<SupportOutbox.Lease> b = store.outbox().lease("hook", "b", later, Duration.ofMinutes(1), 10);
        assertEquals(1, b.size());
        assertEquals(2, b.getFirst().attempt());
        assertFalse(store.outbox().delivered(a.getFirst(), "late", later), "a's lease was lost");
        assertTrue(store.outbox().delivered(b.getFirst(), "ok", later));
        List<SupportOutbox.Lease> next = store.outbox().lease("hook", "b", later, Duration.ofMinutes(1), 10);
        assertEquals(List.of(SupportEventType.CLAIMED), next.stream().map(l -> l.event().type()).toList());
        assertTrue(store.outbox().park(next.getFirst(), "receiver said 401", later));
        SupportOutbox.Entry parked = store.outbox().undelivered(10).getFirst();
        assertEquals(SupportOutbox.State.PARKED, parked.state());
        assertEquals("receiver said 401", parked.lastError());
        Map<SupportOutbox.State, Long> backlog = store.outbox().backlog().get("hook");
        assertEquals(1L, backlog.get(SupportOutbox.State.PARKED), "the count /metrics shows: " + backlog);
        assertFalse(backlog.containsKey(SupportOutbox.State.DONE), "delivered ones are not backlog: " + backlog);
        assertEquals(1, store.outbox().retry(parked.event().eventId(), later));
        assertEquals(1, store.outbox().lease("hook", "b", later, Duration.ofMinutes(1), 10).size());
    }

    // --- conversations in progress (migration V4) ---------------------------------------------------

    private static final io.smtpassistant.core.engine.ConversationKey CONV =
            new io.smtpassistant.core.engine.ConversationKey("teams", "tenant-1", "29:abc", "19:x@thread.tacv2;messageid=1");

    @Test
    void aConversationRowIsReplacedAndForgottenAfterItExpires() {
        StoredConversations rows = store.conversations();
        rows.save("k1", "{\"v\":1}", T0.plusSeconds(60));
        rows.save("k1", "{\"v\":1,\"n\":2}", T0.plusSeconds(120));
        rows.save("k2", "{}", T0.plusSeconds(30));
        assertEquals(Optional.of("{\"v\":1,\"n\":2}"), rows.load("k1", T0.plusSeconds(90)));
        assertEquals(Optional.empty(), rows.load("k2", T0.plusSeconds(30)), "expired at its time");
        assertEquals(1, rows.deleteExpired(T0.plusSeconds(31)));
        rows.delete("k1");
        assertEquals(Optional.empty(), rows.load("k1", T0));
    }

    /** Migration V7: the phase beside the state, replaced with it, "" for a row saved without one, gone when it expires. */
    @Test
    void aConversationRowsPhaseIsKeptBesideItsState() {
        StoredConversations rows = store.conversations();
        rows.save("p1", "{}", T0.plusSeconds(60), false, "CHOOSE_ENTRY");
        assertEquals(Optional.of("CHOOSE_ENTRY"), rows.phase("p1", T0));
        rows.save("p1", "{}", T0.plusSeconds(60), true, "CHECKING");
        assertEquals(Optional.of("CHECKING"), rows.phase("p1", T0));
        rows.save("p1", "{}", T0.plusSeconds(60), false);
        assertEquals(Optional.of(""), rows.phase("p1", T0), "saved without a phase");
        assertEquals(Optional.empty(), rows.phase("p1", T0.plusSeconds(60)), "expired");
        assertEquals(Optional.empty(), rows.phase("p2", T0), "no such row");
    }

    @Test
    void aConversationSurvivesARestartAndExpiresWhenIdle() {
        TestClock clock = new TestClock(T0);
        var before = new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(),
                Duration.ofMinutes(30), 1000, clock);
        var state = io.smtpassistant.core.engine.Conversation.start(CONV, java.util.Locale.GERMAN, "Anna", T0);
        before.save(state);
        store.close();
        store = builder().open(); // a restarted instance: nothing in memory
        var after = new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(),
                Duration.ofMinutes(30), 1000, clock);
        assertEquals(Optional.of(state), after.load(CONV));
        clock.advance(Duration.ofMinutes(31));
        var later = new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(),
                Duration.ofMinutes(30), 1000, clock);
        assertEquals(Optional.empty(), later.load(CONV), "idle longer than 30 minutes");
        later.save(io.smtpassistant.core.engine.Conversation.start(
                new io.smtpassistant.core.engine.ConversationKey("slack", "T1", "U1", ""), java.util.Locale.ENGLISH, "", clock.instant()));
        assertEquals(Optional.empty(), store.conversations().load(
                String.join("\t", CONV.platform(), CONV.workspace(), CONV.user(), CONV.thread()), T0), "the expired row was swept");
    }

    /** {@code CONV} stopped mid-way, in the settings form, at {@code T0}: counted as abandoned when it expires. */
    private static io.smtpassistant.core.engine.Conversation midway() {
        return io.smtpassistant.core.engine.StoredStates.at(CONV, new io.smtpassistant.core.engine.Awaiting.SettingsForm("check-smtp"), T0);
    }

    /** Conversation states idle after 30 minutes whose expiry is counted into this store's outcomes, as ChatServices wires them. */
    private io.smtpassistant.core.engine.PersistentConversationStore countingExpiry(TestClock clock) {
        return new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(), Duration.ofMinutes(30), 1000, clock)
                .onExpired(c -> io.smtpassistant.core.engine.Outcomes.atExpiry(c, clock.instant()).ifPresent(store.outcomes()::record));
    }

    /** An idle conversation that stopped mid-way is counted as abandoned when it expires; one that had ended is not; each once. */
    @Test
    void anExpiredConversationIsCountedOnceAsAbandoned() {
        TestClock clock = new TestClock(T0);
        var states = countingExpiry(clock);
        states.save(midway());
        var ended = new io.smtpassistant.core.engine.ConversationKey("slack", "T1", "U2", "DU2");
        states.save(io.smtpassistant.core.engine.StoredStates.at(ended, new io.smtpassistant.core.engine.Awaiting.Done("done"), T0));
        clock.advance(Duration.ofMinutes(31));
        states.save(io.smtpassistant.core.engine.Conversation.start(
                new io.smtpassistant.core.engine.ConversationKey("slack", "T1", "U1", ""), java.util.Locale.ENGLISH, "", clock.instant()));
        List<ConversationOutcome> counted = store.outcomes().since(T0);
        assertEquals(List.of(ConversationOutcome.Outcome.ABANDONED), counted.stream().map(ConversationOutcome::outcome).toList(),
                "the one that stopped in the settings form; the ended one is not counted");
        assertEquals(CONV.platform(), counted.getFirst().channel());
        assertEquals(List.of(), store.conversations().removeExpired(clock.instant(), 10), "each expired row is taken once");
    }

    /** A quiet instance counts too: the runtime's timer sweeps when no save comes (at most once a minute, as a save). */
    @Test
    void anExpiredConversationIsCountedBySweepingWithoutASave() {
        TestClock clock = new TestClock(T0);
        var states = countingExpiry(clock);
        states.save(midway());
        clock.advance(Duration.ofMinutes(31));
        states.sweepNowAndThen();
        assertEquals(List.of(ConversationOutcome.Outcome.ABANDONED),
                store.outcomes().since(T0).stream().map(ConversationOutcome::outcome).toList());
        states.sweepNowAndThen();
        assertEquals(1, store.outcomes().since(T0).size(), "counted once");
    }

    /** A user who comes back after the idle time starts afresh; what the earlier conversation came to is counted once, at that load. */
    @Test
    void aUserWhoComesBackAfterTheIdleTimeHasTheEarlierConversationCounted() {
        TestClock clock = new TestClock(T0);
        var states = countingExpiry(clock);
        states.save(midway());
        clock.advance(Duration.ofMinutes(31));
        var restarted = countingExpiry(clock);
        assertEquals(Optional.empty(), restarted.load(CONV), "expired: the user starts afresh");
        restarted.save(io.smtpassistant.core.engine.Conversation.start(CONV, java.util.Locale.ENGLISH, "", clock.instant()));
        assertTrue(restarted.load(CONV).isPresent(), "the new conversation lives on");
        List<ConversationOutcome> counted = store.outcomes().since(T0);
        assertEquals(List.of(ConversationOutcome.Outcome.ABANDONED), counted.stream().map(ConversationOutcome::outcome).toList());
        assertEquals(List.of(), store.conversations().removeExpired(clock.instant().plus(Duration.ofMinutes(1)), 10), "nothing left to sweep");
    }

    @Test
    void aStoredStateThisVersionCannotReadStartsAfresh() {
        String row = String.join("\t", CONV.platform(), CONV.workspace(), CONV.user(), CONV.thread());
        store.conversations().save(row, "{\"v\":99,\"future\":true}", T0.plusSeconds(600));
        var states = new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(),
                Duration.ofMinutes(30), 1000, new TestClock(T0));
        assertEquals(Optional.empty(), states.load(CONV));
        assertEquals(Optional.empty(), store.conversations().load(row, T0), "the unreadable row is removed");
    }
    @Test
    void conversationsWaitingForACheckAreListedUntilTheyMoveOnOrExpire() {
        TestClock clock = new TestClock(T0);
        var states = new io.smtpassistant.core.engine.PersistentConversationStore(store.conversations(),
                Duration.ofMinutes(30), 1000, clock);
        states.save(io.smtpassistant.core.engine.StoredStates.at(CONV, new io.smtpassistant.core.engine.Awaiting.Checking("check-smtp"), T0));
        var idle = new io.smtpassistant.core.engine.ConversationKey("slack", "T1", "U1", "DU1");
        states.save(io.smtpassistant.core.engine.Conversation.start(idle, java.util.Locale.ENGLISH, "", T0));
        assertEquals(List.of(CONV), states.waitingForEffect(10), "only the one waiting for a check, its key read back whole");

        clock.advance(Duration.ofMinutes(10));
        states.save(io.smtpassistant.core.engine.StoredStates.at(idle, new io.smtpassistant.core.engine.Awaiting.OpeningRequest("escalate"),
                clock.instant()));
        assertEquals(List.of(CONV, idle), states.waitingForEffect(10), "the one expiring first comes first");

        states.save(io.smtpassistant.core.engine.Conversation.start(CONV, java.util.Locale.GERMAN, "Anna", clock.instant()));
        assertEquals(List.of(idle), states.waitingForEffect(10), "a conversation that moved on is no longer listed");
        clock.advance(Duration.ofMinutes(31));
        assertEquals(List.of(), states.waitingForEffect(10), "an expired one is not offered again");
    }

    // --- outcomes (migration V6) -----------------------------------------------------------------

    @Test
    void outcomesAreStoredAndReadBackSinceATime() {
        OutcomeStore outcomes = store.outcomes();
        ConversationOutcome solved = new ConversationOutcome(ConversationOutcome.Outcome.SOLVED,
                ConversationOutcome.Feedback.YES, Optional.of("microsoft365"), Optional.of("auth-basic-disabled"),
                Optional.of("ok"), 3, Optional.of(Duration.ofSeconds(95)), "slack", "de", T0, T0.plusSeconds(120));
        ConversationOutcome abandoned = new ConversationOutcome(ConversationOutcome.Outcome.ABANDONED,
                ConversationOutcome.Feedback.NONE, Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.empty(), "teams", "en", T0, T0.plusSeconds(1800));
        ConversationOutcome old = new ConversationOutcome(ConversationOutcome.Outcome.ESCALATED,
                ConversationOutcome.Feedback.NONE, Optional.of("gmail"), Optional.of("<script>x</script>"),
                Optional.of("<script>x</script>"), 1, Optional.empty(), "terminal", "en", T0.minusSeconds(7200),
                T0.minusSeconds(3600));
        outcomes.record(abandoned);
        outcomes.record(solved);
        outcomes.record(old);
        assertEquals(List.of(solved, abandoned), outcomes.since(T0), "oldest first, none before the time");
        assertEquals(List.of(old, solved, abandoned), outcomes.since(T0.minusSeconds(86_400)),
                "text is stored as given, escaping is the reader's job");
    }

    @Test
    void anOutcomeHasNoFieldForConversationText() {
        Set<String> names = new HashSet<>();
        for (var c : ConversationOutcome.class.getRecordComponents()) {
            names.add(c.getName());
        }
        assertEquals(Set.of("outcome", "feedback", "provider", "firstDiagnosis", "lastDiagnosis", "checks", "timeToFix",
                "channel", "locale", "startedAt", "endedAt"), names);
        assertThrows(IllegalArgumentException.class, () -> new ConversationOutcome(ConversationOutcome.Outcome.SOLVED,
                ConversationOutcome.Feedback.YES, Optional.of("line\nbreak"), Optional.empty(), Optional.empty(), 1,
                Optional.empty(), "slack", "en", T0, T0));
    }
}

package io.smtpassistant.core.support;

import static io.smtpassistant.core.support.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request's own rules: one-line summaries, checked names, and the JSON form. */
class SupportRequestTest {

    @Test
    void theSummaryIsFoldedIntoOneLine() {
        NewSupportRequest n = Fixtures.request("  AUTH fails\r\nafter the\tpassword change  ", T0);
        assertEquals("AUTH fails after the password change", n.summary());
    }

    @Test
    void aLongSummaryIsShortenedTo200Characters() {
        String summary = Fixtures.request("word ".repeat(100), T0).summary();
        assertEquals(200, summary.length());
        assertTrue(summary.endsWith("…"), summary);
    }

    @Test
    void anEmptySummaryIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.request(" \n ", T0));
    }

    @Test
    void aRequesterNeedsPlatformAndUserIdOnOneLine() {
        assertEquals("slack", new Requester(" Slack ", "U1", null).platform());
        assertThrows(IllegalArgumentException.class, () -> new Requester("slack", " ", "Hanna"));
        assertThrows(IllegalArgumentException.class, () -> new Requester("slack", "U1\nU2", "Hanna"));
    }

    @Test
    void aRequestTakesOnlyWellFormedIdsAndStoresThemCanonically() {
        SupportRequest r = new SupportRequest("sr-7k3qd", Fixtures.requester("U1"), "x", Fixtures.settings(), Optional.empty(),
                List.of(), "", T0, RequestStatus.OPEN, Optional.empty(), List.of());
        assertEquals("SR-7K3QD", r.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SupportRequest("42",
                Fixtures.requester("U1"), "x", Fixtures.settings(), Optional.empty(), List.of(), "", T0, RequestStatus.OPEN,
                Optional.empty(), List.of()));
        assertTrue(e.getMessage().contains("SR-7K3QD"), e.getMessage());
    }

    @Test
    void theJsonFormUsesIdsAndIsoTimes() {
        SupportRequest r = SupportRequest.opened("SR-7K3QD", Fixtures.request("AUTH refused", T0))
                .after(new StatusChange(T0.plusSeconds(1), "Sam", RequestStatus.OPEN, RequestStatus.CLAIMED, ""), Optional.of("Sam"));
        JsonNode json = SupportJson.toTree(r);
        assertEquals("SR-7K3QD", json.get("id").asText());
        assertEquals("claimed", json.get("status").asText());
        assertEquals("Sam", json.get("assignee").asText());
        assertEquals("2026-03-02T09:15:30.123456789Z", json.get("createdAt").asText());
        assertEquals("starttls", json.at("/settings/security").asText());
        assertEquals("AUTH_SMTP_DISABLED", json.at("/lastCheck/diagnosis").asText());
        assertEquals("auth", json.at("/lastCheck/failedStage").asText());
        assertEquals(535, json.at("/lastCheck/stages/2/reply/code").asInt());
        assertEquals("open", json.at("/history/0/from").asText());
        assertEquals(r, SupportJson.requestFromJson(SupportJson.toJson(r)));
    }

    @Test
    void unknownJsonPropertiesAreRefused() {
        String json = SupportJson.toJson(Fixtures.snapshot()).replaceFirst("\\{", "{\"surprise\":1,");
        assertThrows(IllegalArgumentException.class, () -> SupportJson.snapshotFromJson(json));
    }

    @Test
    void aSnapshotWithoutTlsOrFailedStageRoundTrips() {
        CheckSnapshot s = Fixtures.snapshot();
        CheckSnapshot bare = new CheckSnapshot(s.target(), s.startedAt(), 5, io.smtpassistant.knowledge.DiagnosisCode.OK,
                Optional.empty(), "", "", List.of(), List.of(), List.of(), Optional.empty(), List.of(), List.of(), "", "");
        assertEquals(bare, SupportJson.snapshotFromJson(SupportJson.toJson(bare)));
    }
}

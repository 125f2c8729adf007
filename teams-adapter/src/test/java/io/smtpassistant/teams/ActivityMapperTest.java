package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.ChannelAccount;
import com.microsoft.bot.schema.ConversationAccount;
import io.smtpassistant.core.shared.InProcessDeduplicator;
import java.time.Clock;
import io.smtpassistant.core.engine.Input;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityMapperTest {

    private static final String SUPPORT = "19:support@thread.tacv2";
    private final ActivityMapper mapper = new ActivityMapper(SUPPORT);

    private static Activity message(String conversationId, String type) {
        Activity a = new Activity("message");
        a.setId("m-1");
        a.setServiceUrl("https://smba.example/teams/");
        a.setLocale("de-AT");
        ChannelAccount from = new ChannelAccount("29:u", "Uta");
        from.setAadObjectId("AAD-UTA");
        a.setFrom(from);
        a.setRecipient(new ChannelAccount("28:bot", "Bot"));
        ConversationAccount c = new ConversationAccount();
        c.setId(conversationId);
        c.setConversationType(type);
        c.setTenantId("t-1");
        a.setConversation(c);
        return a;
    }

    @Test
    void mentionInAChannelGoesOnInThePersonalChatAndNamesItsReplyChainForTheDiagnosisInGerman() {
        Activity a = message("19:general@thread.tacv2;messageid=42", "channel");
        a.setText("<at>SMTP Assistant</at>&nbsp;hallo");
        Inbound.User u = assertInstanceOf(Inbound.User.class, mapper.map(a));
        assertEquals(new Input.Text("hallo"), u.input());
        assertEquals("", u.key().thread(), "the conversation is the personal one");
        assertEquals("", u.where().conversationId(), "the personal chat is looked up (or opened) before the first reply");
        assertEquals("19:general@thread.tacv2;messageid=42", u.publicThread().orElseThrow().conversationId());
        assertEquals("AAD-UTA", u.key().user());
        assertEquals("t-1", u.key().workspace());
        assertEquals(Locale.GERMAN, u.locale());
    }

    @Test
    void aGroupChatIsItsOwnConversationAndAClickOnSomeoneElsesCardIsRefused() {
        Activity mention = message("19:group-chat@unq.gbl.spaces", "groupChat");
        mention.setText("<at>SMTP Assistant</at> hello");
        Inbound.User u = assertInstanceOf(Inbound.User.class, mapper.map(mention));
        assertEquals("19:group-chat@unq.gbl.spaces", u.key().thread());
        assertTrue(u.publicThread().isEmpty());

        Activity click = message("19:group-chat@unq.gbl.spaces", "groupChat");
        click.setReplyToId("act-7");
        click.setValue(new ObjectMapper().valueToTree(Map.of("sa", "choice", "choice", "entry:a", "owner", "AAD-BOB")));
        Inbound.NotOwner n = assertInstanceOf(Inbound.NotOwner.class, mapper.map(click));
        assertEquals("AAD-BOB", n.owner().user());
        assertEquals("19:group-chat@unq.gbl.spaces", n.owner().thread());
        assertEquals("29:u", n.clickerTeamsId());

        click.setValue(new ObjectMapper().valueToTree(Map.of("sa", "choice", "choice", "entry:a", "owner", "AAD-UTA")));
        assertInstanceOf(Inbound.User.class, mapper.map(click), "the owner's own click goes through");
    }

    @Test
    void formSubmitKeepsThePasswordOutOfTheValues() {
        Activity a = message("a:personal", "personal");
        a.setValue(new ObjectMapper().valueToTree(Map.of("sa", "form", "form", "settings", "host", "smtp.example.com",
                "password", "Canary-7f3a9c-P@ss")));
        Inbound.User u = assertInstanceOf(Inbound.User.class, mapper.map(a));
        Input.FormSubmit f = assertInstanceOf(Input.FormSubmit.class, u.input());
        assertEquals("settings", f.formId());
        assertEquals(Map.of("host", "smtp.example.com"), f.values());
        assertEquals("Canary-7f3a9c-P@ss", new String(f.password().reveal()));
        assertFalse(u.toString().contains("Canary"), "the mapped input prints no password");
        assertEquals("", u.key().thread(), "a personal chat has one conversation per user");
    }

    @Test
    void cardActionsInTheSupportChannelAreSupportActions() {
        Activity a = message(SUPPORT + ";messageid=9001", "channel");
        a.setReplyToId("9001");
        a.setValue(new ObjectMapper().valueToTree(Map.of("sa", "claim", "request", "SR-7K3QD")));
        Inbound.SupportAction s = assertInstanceOf(Inbound.SupportAction.class, mapper.map(a));
        assertEquals("claim", s.action());
        assertEquals("SR-7K3QD", s.requestId());
        assertEquals("aad-uta", s.actor().aadObjectId(), "ids compare in lower case");
        assertEquals("9001", s.cardId());
    }

    @Test
    void ownMessagesAndRedeliveriesAreDropped() {
        Activity own = message("a:personal", "personal");
        own.setFrom(new ChannelAccount("28:bot", "Bot"));
        assertTrue(ChainFilters.fromABot(own));
        assertFalse(ChainFilters.fromABot(message("a:personal", "personal")));

        ChainFilters.Redeliveries r = new ChainFilters.Redeliveries(new InProcessDeduplicator(Clock.systemUTC()));
        Activity a = message("a:personal", "personal");
        assertTrue(r.firstTime(a));
        assertFalse(r.firstTime(message("a:personal", "personal")), "same id, same conversation");
        assertTrue(r.firstTime(message("a:other", "personal")), "same id elsewhere is another activity");
    }

    private static Activity installed(String conversationId, String type) {
        Activity a = message(conversationId, type);
        a.setType("conversationUpdate");
        a.setMembersAdded(List.of(new ChannelAccount("28:bot", "Bot")));
        return a;
    }

    @Test
    void installInAPersonalChatStartsTheUsersConversationAsAHello() {
        Inbound.User u = assertInstanceOf(Inbound.User.class, mapper.map(installed("a:personal", "personal")));
        assertEquals(ActivityMapper.WELCOME, u.input());
        Inbound.User later = assertInstanceOf(Inbound.User.class, mapper.map(withText(message("a:personal", "personal"), "hi")));
        assertEquals(later.key(), u.key(), "the same conversation as the user's messages");
        assertEquals("a:personal", u.where().conversationId());
        assertEquals(Locale.GERMAN, u.locale());
        assertEquals("Uta", u.displayName());
    }

    @Test
    void installInAChannelOrGroupChatOrSomeoneElseAddedIsIgnored() {
        assertInstanceOf(Inbound.Ignore.class, mapper.map(installed("19:general@thread.tacv2", "channel")));
        assertInstanceOf(Inbound.Ignore.class, mapper.map(installed("19:group@thread.v2", "groupChat")));
        Activity other = installed("a:personal", "personal");
        other.setMembersAdded(List.of(new ChannelAccount("29:u", "Uta")));
        assertInstanceOf(Inbound.Ignore.class, mapper.map(other));
    }

    @Test
    void clickedChoiceNamesTheCardItAnswers() {
        Activity a = message("a:personal", "personal");
        a.setReplyToId("act-7");
        a.setValue(new ObjectMapper().valueToTree(Map.of("sa", "choice", "choice", "entry:first-setup", "label", "Set up our mailbox",
                "question", "What do you need help with?")));
        Inbound.User u = assertInstanceOf(Inbound.User.class, mapper.map(a));
        assertEquals(new Input.Choice("entry:first-setup"), u.input());
        assertEquals(new Inbound.Clicked("act-7", "entry:first-setup", "Set up our mailbox", "What do you need help with?"),
                u.clicked().orElseThrow());

        a.setReplyToId(null);
        assertTrue(assertInstanceOf(Inbound.User.class, mapper.map(a)).clicked().isEmpty(), "no card to answer without replyToId");
    }

    private static Activity withText(Activity a, String text) {
        a.setText(text);
        return a;
    }

    @Test
    void conversationUpdatesAreIgnored() {
        Activity a = message("a:personal", "personal");
        a.setType("conversationUpdate");
        assertInstanceOf(Inbound.Ignore.class, mapper.map(a));
    }
}

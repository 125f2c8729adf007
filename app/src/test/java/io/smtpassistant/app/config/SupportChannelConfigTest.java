package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.channel.EmailChannel;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupportChannelConfigTest {

    static final Knowledge KNOWLEDGE = Knowledge.load();
    static final String TOKEN = "zd-token-canary-4411";
    static final String MAIL_PW = "mail-pw-canary-7702";
    static final String HOOK = "hook-secret-canary-0123456789";

    static Map<String, String> all() {
        Map<String, String> m = new HashMap<>();
        m.put("ZENDESK_URL", "https://example.zendesk.com");
        m.put("ZENDESK_EMAIL", "bot@example.com");
        m.put("ZENDESK_API_TOKEN", TOKEN);
        m.put("ZENDESK_WEBHOOK_SECRET", "zd-webhook-secret");
        m.put("SMTP_ASSISTANT_SUPPORT_EMAIL", "support@example.com");
        m.put("SMTP_ASSISTANT_MAIL_HOST", "smtp.example.com");
        m.put("SMTP_ASSISTANT_MAIL_USER", "bot@example.com");
        m.put("SMTP_ASSISTANT_MAIL_PASSWORD", MAIL_PW);
        m.put("SMTP_ASSISTANT_MAIL_FROM", "smtp-assistant@example.com");
        m.put("SMTP_ASSISTANT_WEBHOOK_URL", "https://hooks.example.com/smtp-assistant");
        m.put("SMTP_ASSISTANT_WEBHOOK_SECRET", HOOK);
        return m;
    }

    static String error(Map<String, String> env) {
        String message = assertThrows(AppConfig.ConfigException.class,
                () -> AppConfig.load(env).helpdeskChannels(KNOWLEDGE, Clock.systemUTC())).getMessage();
        for (String secret : List.of(TOKEN, MAIL_PW, HOOK)) {
            assertFalse(message.contains(secret), () -> "a secret in: " + message);
        }
        return message;
    }

    static Map<String, String> with(String key, String value) {
        Map<String, String> m = all();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    @Test
    void nothingSetMeansNoHelpdeskChannel() {
        assertEquals(List.of(), AppConfig.load(Map.of()).helpdeskChannels(KNOWLEDGE, Clock.systemUTC()));
    }

    @Test
    void everythingSetGivesTheThreeChannels() {
        AppConfig config = AppConfig.load(all());
        List<SupportChannel> channels = config.helpdeskChannels(KNOWLEDGE, Clock.systemUTC());
        assertEquals(List.of("zendesk", "email", "webhook"), channels.stream().map(SupportChannel::id).toList());
        EmailChannel.Settings mail = config.supportEmail().orElseThrow();
        assertEquals(587, mail.port());
        assertEquals(EmailChannel.Security.STARTTLS, mail.security());
        assertFalse(mail.toString().contains(MAIL_PW));
        assertFalse(config.zendesk().orElseThrow().toString().contains(TOKEN));
        assertFalse(config.webhook().orElseThrow().toString().contains(HOOK));
        assertEquals(465, AppConfig.load(with("SMTP_ASSISTANT_MAIL_SECURITY", "tls")).supportEmail().orElseThrow().port());
    }

    @Test
    void aMissingPartNamesTheKeyAndTheFix() {
        String zd = error(with("ZENDESK_API_TOKEN", null));
        assertTrue(zd.startsWith("ZENDESK_API_TOKEN is missing") && zd.contains("set all three, or none"), zd);
        String secretOnly = error(Map.of("ZENDESK_WEBHOOK_SECRET", "x"));
        assertTrue(secretOnly.startsWith("ZENDESK_WEBHOOK_SECRET is set, but ZENDESK_URL"), secretOnly);
        String host = error(with("SMTP_ASSISTANT_MAIL_HOST", null));
        assertTrue(host.startsWith("SMTP_ASSISTANT_MAIL_HOST is missing") && host.contains("smtp.example.com"), host);
        String from = error(with("SMTP_ASSISTANT_MAIL_FROM", null));
        assertTrue(from.startsWith("SMTP_ASSISTANT_MAIL_FROM is missing"), from);
        String user = error(with("SMTP_ASSISTANT_MAIL_USER", null));
        assertTrue(user.startsWith("SMTP_ASSISTANT_MAIL_PASSWORD is set, but SMTP_ASSISTANT_MAIL_USER is not"), user);
        Map<String, String> relayOnly = with("SMTP_ASSISTANT_SUPPORT_EMAIL", null);
        assertTrue(error(relayOnly).contains("SMTP_ASSISTANT_SUPPORT_EMAIL is not"), error(relayOnly));
        String hook = error(with("SMTP_ASSISTANT_WEBHOOK_SECRET", null));
        assertTrue(hook.startsWith("SMTP_ASSISTANT_WEBHOOK_SECRET is missing") && hook.contains("openssl rand -hex 32"), hook);
        String shortSecret = error(with("SMTP_ASSISTANT_WEBHOOK_SECRET", "short"));
        assertTrue(shortSecret.contains("too short (5 characters)") && !shortSecret.contains("short\""), shortSecret);
    }

    @Test
    void badValuesAreQuotedShortAndAnsweredWithARightOne() {
        String http = error(with("ZENDESK_URL", "http://example.zendesk.com"));
        assertEquals("ZENDESK_URL=http://example.zendesk.com: must start with https:// (http:// only to this machine),"
                + " e.g. https://example.zendesk.com", http);
        String path = error(with("ZENDESK_URL", "https://example.zendesk.com/agent/tickets"));
        assertTrue(path.contains("without a path"), path);
        String notUrl = error(with("SMTP_ASSISTANT_WEBHOOK_URL", "hooks example com"));
        assertTrue(notUrl.contains("e.g. https://hooks.example.com/smtp-assistant"), notUrl);
        String mail = error(with("SMTP_ASSISTANT_SUPPORT_EMAIL", "#support"));
        assertEquals("SMTP_ASSISTANT_SUPPORT_EMAIL=#support: write one e-mail address, e.g. support@example.com", mail);
        String security = error(with("SMTP_ASSISTANT_MAIL_SECURITY", "ssl3"));
        assertTrue(security.contains("write starttls (port 587), tls (port 465) or none"), security);
        String port = error(with("SMTP_ASSISTANT_MAIL_PORT", "70000"));
        assertTrue(port.startsWith("SMTP_ASSISTANT_MAIL_PORT=70000: write a port"), port);
        String huge = error(with("SMTP_ASSISTANT_WEBHOOK_URL", "http://" + "a".repeat(10_000) + ".example.com"));
        assertTrue(huge.length() < 250, "a 10 KB value is not echoed whole: " + huge.length());
        String plaintext = error(with("SMTP_ASSISTANT_MAIL_SECURITY", "none"));
        assertTrue(plaintext.contains("unencrypted") && plaintext.contains("use starttls or tls"), plaintext);
    }

    @Test
    void loopbackMayUsePlainHttpAndAPlainRelay() {
        Map<String, String> m = with("ZENDESK_URL", "http://127.0.0.1:8089");
        m.put("SMTP_ASSISTANT_WEBHOOK_URL", "http://localhost:9000/hook");
        m.put("SMTP_ASSISTANT_MAIL_HOST", "127.0.0.1");
        m.put("SMTP_ASSISTANT_MAIL_SECURITY", "none");
        AppConfig config = AppConfig.load(m);
        assertEquals(3, config.helpdeskChannels(KNOWLEDGE, Clock.systemUTC()).size());
        assertEquals(25, config.supportEmail().orElseThrow().port());
    }
}

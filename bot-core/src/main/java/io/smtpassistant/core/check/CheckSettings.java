package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.Security;
import java.time.Duration;

/**
 * The SMTP settings a user gave, without the password: what conversation state and support requests
 * keep. A {@link CheckRequest} is made from it plus a {@link Secret} just before a check.
 *
 * @param port     1–65535, or {@link CheckRequest#AUTO_PORT} when it is to be discovered
 * @param username the login, or "" for none
 */
public record CheckSettings(String host, int port, Security security, String username, String sender,
                            String recipient, boolean sendTestMessage) {

    public CheckSettings {
        host = host == null ? "" : host;
        security = security == null ? Security.AUTO : security;
        username = username == null ? "" : username;
        sender = sender == null ? "" : sender;
        recipient = recipient == null ? "" : recipient;
    }

    /**
     * The request for a check with these settings.
     *
     * @param password the password for this one check, or {@code null} to check without login
     */
    public CheckRequest toRequest(Secret password, Duration deadline, boolean allowPlaintextAuth, String providerHint) {
        return toRequest(LoginMethod.PASSWORD, password, deadline, allowPlaintextAuth, providerHint);
    }

    /**
     * The request for a check with these settings and the given login method.
     *
     * @param credential the password or (XOAUTH2) the access token for this one check, or {@code null}
     *                   to check without login
     */
    public CheckRequest toRequest(LoginMethod method, Secret credential, Duration deadline, boolean allowPlaintextAuth,
                                  String providerHint) {
        boolean login = !username.isEmpty() && credential != null;
        return new CheckRequest(host, port, security, login ? username : "", login ? credential : null, sender, recipient,
                sendTestMessage, deadline, allowPlaintextAuth, providerHint, login ? method : LoginMethod.PASSWORD);
    }

    /** The settings a request was made from (the password left behind). */
    public static CheckSettings of(CheckRequest r) {
        return new CheckSettings(r.host(), r.port(), r.security(), r.username(), r.sender(), r.recipient(), r.sendTestMessage());
    }
}

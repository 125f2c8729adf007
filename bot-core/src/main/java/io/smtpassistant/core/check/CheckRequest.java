package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.Security;
import java.time.Duration;
import java.util.Objects;

/**
 * What to check. Holds the password (or, for {@link LoginMethod#XOAUTH2}, the OAuth access token) as
 * a {@link Secret}; the request is the run-check effect's payload and lives only as long as the
 * check. {@link #toString()} never shows the credential.
 *
 * @param host               the SMTP server's host name or IP literal, as the user gave it
 * @param port               1–65535, or {@link #AUTO_PORT} to discover it
 * @param security           STARTTLS, TLS (implicit), NONE, or AUTO to discover it
 * @param username           the login, or "" for no login
 * @param password           the credential of {@code loginMethod}: the password, or the access token for
 *                           XOAUTH2; {@code null} for no login. Cleared by the checker after the check.
 * @param sender             the MAIL FROM address, or "" to use the user name when it is an address
 * @param recipient          the RCPT TO address, or "" to skip the recipient stage
 * @param sendTestMessage    whether to send a real test message (DATA); Microsoft 365 refuses
 *                           send-as only after DATA
 * @param deadline           the whole check ends within this time, whatever the server does
 * @param allowPlaintextAuth send credentials over an unencrypted connection (explicit opt-in only)
 * @param providerHint       a provider id from the knowledge presets, or "" when unknown
 * @param loginMethod        PASSWORD (AUTH PLAIN/LOGIN) or XOAUTH2 (the token in {@code password})
 */
public record CheckRequest(String host, int port, Security security, String username, Secret password,
                           String sender, String recipient, boolean sendTestMessage, Duration deadline,
                           boolean allowPlaintextAuth, String providerHint, LoginMethod loginMethod) {

    public static final int AUTO_PORT = 0;
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);

    public CheckRequest {
        host = Objects.requireNonNull(host, "host").strip();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty; give the SMTP server's name, e.g. smtp.office365.com");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535; mail servers use 587, 465, 25 or 2525");
        }
        Objects.requireNonNull(security, "security");
        username = username == null ? "" : username.strip();
        sender = sender == null ? "" : sender.strip();
        recipient = recipient == null ? "" : recipient.strip();
        providerHint = providerHint == null ? "" : providerHint;
        loginMethod = loginMethod == null ? LoginMethod.PASSWORD : loginMethod;
        deadline = deadline == null ? DEFAULT_DEADLINE : deadline;
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, e.g. 15s");
        }
        for (String v : new String[] {host, username, sender, recipient}) {
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a value contains a line break; enter it on one line");
            }
        }
        if (!username.isEmpty() && password == null) {
            throw new IllegalArgumentException(loginMethod == LoginMethod.XOAUTH2
                    ? "a user name was given without an access token" : "a user name was given without a password");
        }
        if (loginMethod == LoginMethod.XOAUTH2 && username.isEmpty()) {
            throw new IllegalArgumentException("an XOAUTH2 login needs the mailbox that signed in as user name, e.g. hr@example.com");
        }
        if (loginMethod == LoginMethod.XOAUTH2 && username.indexOf('\u0001') >= 0) {
            throw new IllegalArgumentException("the user name contains a control character; enter the mailbox address only");
        }
    }

    /** A password request (the form before XOAUTH2 existed). */
    public CheckRequest(String host, int port, Security security, String username, Secret password, String sender,
                        String recipient, boolean sendTestMessage, Duration deadline, boolean allowPlaintextAuth,
                        String providerHint) {
        this(host, port, security, username, password, sender, recipient, sendTestMessage, deadline, allowPlaintextAuth,
                providerHint, LoginMethod.PASSWORD);
    }

    /** True when port or security is to be discovered. */
    public boolean discovers() {
        return port == AUTO_PORT || security == Security.AUTO;
    }

    /** True when a login is to be tried. */
    public boolean hasCredentials() {
        return !username.isEmpty() && password != null;
    }

    /** The same request for another port and security (port discovery). */
    public CheckRequest withTarget(int newPort, Security newSecurity) {
        return new CheckRequest(host, newPort, newSecurity, username, password, sender, recipient, sendTestMessage,
                deadline, allowPlaintextAuth, providerHint, loginMethod);
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    @Override
    public String toString() {
        return "CheckRequest[host=" + host + ", port=" + (port == AUTO_PORT ? "auto" : port) + ", security=" + security.id()
                + ", username=" + username + ", login=" + loginMethod.id()
                + (loginMethod == LoginMethod.XOAUTH2 ? ", token=" : ", password=") + (password == null ? "none" : "<redacted>")
                + ", sender=" + sender + ", recipient=" + recipient + ", sendTestMessage=" + sendTestMessage
                + ", deadline=" + deadline + "]";
    }

    /** Builds a request; unset values take their defaults (auto port and security, 15 s). */
    public static final class Builder {
        private final String host;
        private int port = AUTO_PORT;
        private Security security = Security.AUTO;
        private String username = "";
        private Secret password;
        private String sender = "";
        private String recipient = "";
        private boolean sendTestMessage;
        private Duration deadline = DEFAULT_DEADLINE;
        private boolean allowPlaintextAuth;
        private String providerHint = "";
        private LoginMethod loginMethod = LoginMethod.PASSWORD;

        private Builder(String host) {
            this.host = host;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder security(Security security) {
            this.security = security;
            return this;
        }

        /** A password login (AUTH PLAIN or LOGIN, whichever the server offers). */
        public Builder login(String username, Secret password) {
            this.username = username;
            this.password = password;
            this.loginMethod = LoginMethod.PASSWORD;
            return this;
        }

        /**
         * An OAuth login: AUTH XOAUTH2 with {@code accessToken} for the mailbox {@code username}. The
         * token is cleared after the check exactly like a password.
         */
        public Builder xoauth2(String username, Secret accessToken) {
            this.username = username;
            this.password = Objects.requireNonNull(accessToken, "accessToken");
            this.loginMethod = LoginMethod.XOAUTH2;
            return this;
        }

        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        public Builder sendTestMessage(boolean send) {
            this.sendTestMessage = send;
            return this;
        }

        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder allowPlaintextAuth(boolean allow) {
            this.allowPlaintextAuth = allow;
            return this;
        }

        public Builder providerHint(String providerId) {
            this.providerHint = providerId;
            return this;
        }

        public CheckRequest build() {
            return new CheckRequest(host, port, security, username, password, sender, recipient, sendTestMessage,
                    deadline, allowPlaintextAuth, providerHint, loginMethod);
        }
    }
}

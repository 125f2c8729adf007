package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.Security;
import java.time.Duration;
import java.util.Objects;

/**
 * What to check. Holds the password as a {@link Secret}; the request is the run-check effect's
 * payload and lives only as long as the check. {@link #toString()} never shows the password.
 *
 * @param host               the SMTP server's host name or IP literal, as the user gave it
 * @param port               1–65535, or {@link #AUTO_PORT} to discover it
 * @param security           STARTTLS, TLS (implicit), NONE, or AUTO to discover it
 * @param username           the login, or "" for no login
 * @param password           the password, or {@code null} for no login
 * @param sender             the MAIL FROM address, or "" to use the user name when it is an address
 * @param recipient          the RCPT TO address, or "" to skip the recipient stage
 * @param sendTestMessage    whether to send a real test message (DATA); Microsoft 365 refuses
 *                           send-as only after DATA
 * @param deadline           the whole check ends within this time, whatever the server does
 * @param allowPlaintextAuth send credentials over an unencrypted connection (explicit opt-in only)
 * @param providerHint       a provider id from the knowledge presets, or "" when unknown
 */
public record CheckRequest(String host, int port, Security security, String username, Secret password,
                           String sender, String recipient, boolean sendTestMessage, Duration deadline,
                           boolean allowPlaintextAuth, String providerHint) {

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
            throw new IllegalArgumentException("a user name was given without a password");
        }
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
                deadline, allowPlaintextAuth, providerHint);
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    @Override
    public String toString() {
        return "CheckRequest[host=" + host + ", port=" + (port == AUTO_PORT ? "auto" : port) + ", security=" + security.id()
                + ", username=" + username + ", password=" + (password == null ? "none" : "<redacted>")
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

        public Builder login(String username, Secret password) {
            this.username = username;
            this.password = password;
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
                    deadline, allowPlaintextAuth, providerHint);
        }
    }
}

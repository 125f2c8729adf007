package io.smtpassistant.app.cli;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.oauth.SignInResult;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-assistant check}: one live check, for IT staff and scripts. Exit 0 when the diagnosis
 * is OK, 1 when a problem was diagnosed, 2 on bad usage (the message names the flag and the expected
 * form), 3 when the knowledge files are broken.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks SMTP settings live against the server and explains what is wrong.",
            "Exit code: 0 OK, 1 problem diagnosed (or the Microsoft sign-in failed), 2 bad usage, 3 broken configuration,",
            "130 sign-in cancelled with Ctrl-C."})
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--host", required = true, paramLabel = "HOST", description = "SMTP server, e.g. smtp.office365.com")
    String host;

    @Option(names = "--port", paramLabel = "N|auto", defaultValue = "auto", description = "Port 1-65535, or auto to probe 587, 465, 25 and 2525 (default: ${DEFAULT-VALUE})")
    String port;

    @Option(names = "--security", paramLabel = "MODE", defaultValue = "auto", description = "starttls, tls (implicit TLS/SSL), none, or auto (default: ${DEFAULT-VALUE})")
    String security;

    @Option(names = "--user", paramLabel = "USER", description = "Login name; the password comes from --password-env, --password-stdin, or a masked prompt")
    String user;

    @ArgGroup(exclusive = true)
    PasswordSource password;

    static final class PasswordSource {
        @Option(names = "--password-env", paramLabel = "VAR", description = "Read the password from this environment variable")
        String env;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input")
        boolean stdin;
    }

    @Option(names = "--auth", paramLabel = "password|xoauth2", defaultValue = "password",
            description = "How to log in: password (AUTH PLAIN/LOGIN, the default) or xoauth2 (Microsoft 365's modern sign-in with an OAuth token)")
    String auth;

    @ArgGroup(exclusive = true)
    TokenSource token;

    static final class TokenSource {
        @Option(names = "--oauth-token-env", paramLabel = "VAR",
                description = "With --auth xoauth2: read the access token (scope https://outlook.office.com/SMTP.Send) from this environment variable")
        String env;

        @Option(names = "--device-code", description = "With --auth xoauth2: sign in with Microsoft from this terminal (needs SMTP_ASSISTANT_MS_CLIENT_ID)")
        boolean deviceCode;
    }

    @Option(names = "--from", paramLabel = "ADDR", description = "Sender address (MAIL FROM); default: the user name when it is an address")
    String from;

    @Option(names = "--rcpt", paramLabel = "ADDR", description = "Test recipient (RCPT TO)")
    String rcpt;

    @Option(names = "--send-test-message", description = "Send a real test message (needed to see Microsoft 365 send-as refusals)")
    boolean sendTestMessage;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", description = "Deadline for the whole check, e.g. 15s, 1500ms (default: ${DEFAULT-VALUE})")
    String timeout;

    @ArgGroup(exclusive = true)
    PrivacyChoice privacy;

    static final class PrivacyChoice {
        @Option(names = "--allow-private", description = "Allow private, loopback and internal targets (the default here, for internal relays)")
        boolean allow;

        @Option(names = "--deny-private", description = "Refuse private, loopback, link-local and metadata targets, as the chat does")
        boolean deny;
    }

    @Option(names = "--allow-plaintext-auth", description = "Send the password even over an unencrypted connection (not recommended)")
    boolean allowPlaintextAuth;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Also trust the CA certificate(s) in this PEM file (an internal CA)")
    Path caFile;

    @Option(names = "--json", description = "Print the report as one JSON object")
    boolean json;

    @Option(names = "--lang", paramLabel = "en|de", description = "Language of the report (default: from LANG)")
    String lang;

    public CheckCommand() {
        this(CliContext.system());
    }

    public CheckCommand(CliContext context) {
        this.context = context;
    }

    /** Exit code of a sign-in cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
    static final int EXIT_CANCELLED = 130;

    @Override
    public Integer call() {
        Locale locale = Cli.locale(lang, context.env());
        Knowledge knowledge = Cli.knowledge(context.env());
        AppConfig config = AppConfig.load(context.env());
        if (xoauth2(knowledge, locale)) {
            return callXoauth2(knowledge, locale, config);
        }
        return check(request(knowledge, locale), knowledge, locale, config, null);
    }

    /**
     * {@code --auth xoauth2}: the token from the environment, or from a device-code sign-in (whose code is
     * shown first; a failed sign-in is reported as its diagnosis, exit 1); then the check logs in with it.
     */
    private int callXoauth2(Knowledge knowledge, Locale locale, AppConfig config) {
        PrintWriter out = spec.commandLine().getOut();
        if (token.env != null) {
            if (user == null || user.isBlank()) {
                throw usage(knowledge, locale, "cli.check.xoauth2-needs-user");
            }
            CheckRequest.Builder settings = settings(knowledge, locale);
            Secret secret = OAuthLogin.tokenFromEnv(context, token.env, knowledge, locale);
            try {
                return check(xoauth2Request(settings, knowledge, locale, user.strip(), secret), knowledge, locale, config,
                        OAuthLogin.login(JSON.createObjectNode(), "env", ""));
            } finally {
                secret.clear();
            }
        }
        io.smtpassistant.core.oauth.MicrosoftSignInConfig signInConfig = OAuthLogin.config(context, knowledge, locale);
        CheckRequest.Builder settings = settings(knowledge, locale); // wrong flags fail before anyone signs in
        PrintWriter prompt = json ? spec.commandLine().getErr() : out;
        SignInResult result = OAuthLogin.deviceCode(signInConfig, Cli.trust(caFile), context, prompt, knowledge.texts(), locale);
        return switch (result) {
            case SignInResult.Cancelled c -> {
                prompt.println(knowledge.texts().text("cli.signin.cancelled", locale));
                prompt.flush();
                yield EXIT_CANCELLED;
            }
            case SignInResult.Failed failed -> {
                out.print(json ? OAuthLogin.failureJson(failed, knowledge, locale) + "\n" : OAuthLogin.failureText(failed, knowledge, locale));
                out.flush();
                yield Cli.EXIT_PROBLEM;
            }
            case SignInResult.SignedIn in -> {
                try {
                    String mailbox = user != null && !user.isBlank() ? user.strip() : in.account();
                    if (mailbox.isEmpty()) {
                        throw usage(knowledge, locale, "cli.check.xoauth2-needs-user");
                    }
                    prompt.println(OAuthLogin.signedIn(in, knowledge.texts(), locale));
                    prompt.flush();
                    yield check(xoauth2Request(settings, knowledge, locale, mailbox, in.accessToken()), knowledge, locale, config,
                            OAuthLogin.login(JSON.createObjectNode(), "device-code", in.account()));
                } finally {
                    in.accessToken().clear();
                }
            }
        };
    }

    private int check(CheckRequest request, Knowledge knowledge, Locale locale, AppConfig config,
                      com.fasterxml.jackson.databind.node.ObjectNode login) {
        RealSmtpChecker checker = RealSmtpChecker.builder(knowledge.replyRules()).providers(knowledge.providers())
                .guard(new NetworkGuard(privacy != null && privacy.deny ? NetworkPolicy.chat() : NetworkPolicy.permissive(),
                        config.checkResolver()))
                .ehloName(config.ehloName())
                .trust(Cli.trust(caFile))
                .build();
        PrintWriter out = spec.commandLine().getOut();
        boolean color = !json && context.interactive() && !"dumb".equals(context.env().get("TERM"))
                && context.env().get("NO_COLOR") == null;
        CheckReport report = checker.check(request, json ? new io.smtpassistant.core.check.CheckListener() {
        } : new ProgressPrinter(out, knowledge.texts(), locale, color));
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode tree = ReportJson.tree(report, knowledge, locale, config.serviceOAuth());
            tree.set("login", login != null ? login : JSON.createObjectNode().put("mechanism", "PASSWORD").put("method", "password"));
            out.println(tree.toString());
        } else {
            out.print(ReportText.summary(report, knowledge, locale, color, config.serviceOAuth()));
        }
        out.flush();
        return report.ok() ? Cli.EXIT_OK : Cli.EXIT_PROBLEM;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * True for {@code --auth xoauth2}; checks that the token options and the password options are not mixed up.
     *
     * @throws Cli.UsageException naming the flag that does not belong (exit 2)
     */
    private boolean xoauth2(Knowledge knowledge, Locale locale) {
        String method = auth == null ? "password" : auth.strip().toLowerCase(Locale.ROOT);
        switch (method) {
            case "password" -> {
                if (token != null) {
                    throw usage(knowledge, locale, "cli.check.token-option-needs-xoauth2", "flag",
                            token.env != null ? "--oauth-token-env" : "--device-code");
                }
                return false;
            }
            case "xoauth2" -> {
                if (password != null) {
                    throw usage(knowledge, locale, "cli.check.xoauth2-no-password");
                }
                if (token == null) {
                    throw usage(knowledge, locale, "cli.check.xoauth2-needs-token");
                }
                return true;
            }
            default -> throw usage(knowledge, locale, "cli.check.auth-unknown", "value", Inputs.shorten(auth));
        }
    }

    /** The validated settings of the flags, without a login. */
    private CheckRequest.Builder settings(Knowledge knowledge, Locale locale) {
        return CheckRequest.builder(require("--host", Inputs.host(host), knowledge, locale))
                .port(require("--port", Inputs.port(port), knowledge, locale))
                .security(require("--security", Inputs.security(security), knowledge, locale))
                .deadline(require("--timeout", Inputs.timeout(timeout), knowledge, locale))
                .sender(from == null ? "" : require("--from", Inputs.email(from), knowledge, locale))
                .recipient(rcpt == null ? "" : require("--rcpt", Inputs.email(rcpt), knowledge, locale))
                .sendTestMessage(sendTestMessage)
                .allowPlaintextAuth(allowPlaintextAuth);
    }

    /** The settings, logging in with AUTH XOAUTH2 as {@code mailbox} with {@code accessToken}. */
    private CheckRequest xoauth2Request(CheckRequest.Builder settings, Knowledge knowledge, Locale locale, String mailbox,
                                        Secret accessToken) {
        String sender = from == null ? "" : from.strip();
        if (sendTestMessage && rcpt == null && sender.isEmpty() && !mailbox.contains("@")) {
            throw usage(knowledge, locale, "cli.check.test-message-needs-recipient");
        }
        return settings.providerHint(ProviderHints.find(knowledge, host.strip(), sender.isEmpty() ? mailbox : sender))
                .xoauth2(mailbox, accessToken)
                .build();
    }

    private CheckRequest request(Knowledge knowledge, Locale locale) {
        String h = require("--host", Inputs.host(host), knowledge, locale);
        int p = require("--port", Inputs.port(port), knowledge, locale);
        Security s = require("--security", Inputs.security(security), knowledge, locale);
        Duration d = require("--timeout", Inputs.timeout(timeout), knowledge, locale);
        String sender = from == null ? "" : require("--from", Inputs.email(from), knowledge, locale);
        String recipient = rcpt == null ? "" : require("--rcpt", Inputs.email(rcpt), knowledge, locale);
        if (sendTestMessage && recipient.isEmpty() && sender.isEmpty() && (user == null || !user.contains("@"))) {
            throw usage(knowledge, locale, "cli.check.test-message-needs-recipient");
        }
        if (password != null && (user == null || user.isBlank())) {
            throw usage(knowledge, locale, "cli.check.password-without-user");
        }
        Secret secret = null;
        if (user != null && !user.isBlank()) {
            secret = readPassword(knowledge, locale);
        }
        return new CheckRequest(h, p, s, user == null ? "" : user.strip(), secret, sender, recipient, sendTestMessage, d,
                allowPlaintextAuth, providerHint(knowledge, h, sender));
    }

    private String providerHint(Knowledge knowledge, String host, String sender) {
        return ProviderHints.find(knowledge, host, sender.isEmpty() && user != null ? user : sender);
    }

    private Secret readPassword(Knowledge knowledge, Locale locale) {
        char[] chars;
        Console console = context.interactive() ? CliContext.terminal() : null;
        if (password != null && password.env != null) {
            String v = context.env().get(password.env);
            if (v == null) {
                throw usage(knowledge, locale, "cli.check.password-env-unset", "var", Inputs.shorten(password.env));
            }
            chars = v.toCharArray();
        } else if (password != null && password.stdin) {
            chars = firstLine();
        } else if (console != null) {
            chars = console.readPassword("Password for %s: ", TerminalSafe.line(Inputs.shorten(user)));
            if (chars == null) {
                chars = new char[0];
            }
        } else {
            throw usage(knowledge, locale, "cli.check.user-needs-password");
        }
        if (chars.length == 0) {
            throw usage(knowledge, locale, "cli.check.password-empty");
        }
        Secret secret = Secret.of(chars);
        Arrays.fill(chars, '\0');
        return secret;
    }

    private char[] firstLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = context.stdin().read()) != -1 && b != '\n') {
                if (b != '\r') {
                    buf.write(b);
                }
            }
        } catch (IOException e) {
            throw new Cli.UsageException("--password-stdin: standard input cannot be read: " + e.getMessage());
        }
        byte[] bytes = buf.toByteArray();
        char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes)).array();
        int len = 0;
        while (len < chars.length && chars[len] != '\0') {
            len++;
        }
        char[] exact = Arrays.copyOf(chars, len);
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars, '\0');
        return exact;
    }

    private static Cli.UsageException usage(Knowledge knowledge, Locale locale, String key, Object... args) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(String.valueOf(args[i]), args[i + 1]);
        }
        return new Cli.UsageException(knowledge.texts().format(key, locale, m));
    }

    private <T> T require(String flag, Parsed<T> parsed, Knowledge knowledge, Locale locale) {
        return switch (parsed) {
            case Parsed.Ok<T> ok -> ok.value();
            case Parsed.Invalid<T> bad -> throw new Cli.UsageException(flag + ": "
                    + knowledge.texts().format(bad.problem().key(), locale, bad.problem().args()));
        };
    }
}

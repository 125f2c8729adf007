package io.smtpassistant.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.oauth.DeviceCode;
import io.smtpassistant.core.oauth.MicrosoftDeviceCodeSignIn;
import io.smtpassistant.core.oauth.MicrosoftSignInConfig;
import io.smtpassistant.core.oauth.SignInResult;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Texts;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The token side of {@code check --auth xoauth2}: a token from an environment variable, or a device-code
 * sign-in with Microsoft in the terminal (Ctrl-C cancels), and how a failed sign-in is shown. The token is
 * a {@link Secret} from the first moment and is never printed.
 */
final class OAuthLogin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuthLogin() {
    }

    /**
     * The token in environment variable {@code var}.
     *
     * @throws Cli.UsageException when the variable is unset or empty (exit 2)
     */
    static Secret tokenFromEnv(CliContext context, String var, Knowledge knowledge, Locale locale) {
        String value = context.env().get(var);
        Map<String, Object> args = Map.of("var", io.smtpassistant.core.input.Inputs.shorten(var));
        if (value == null) {
            throw new Cli.UsageException(knowledge.texts().format("cli.check.oauth-token-env-unset", locale, args));
        }
        if (value.isBlank()) {
            throw new Cli.UsageException(knowledge.texts().format("cli.check.oauth-token-empty", locale, args));
        }
        return Secret.of(value.strip());
    }

    /**
     * The sign-in configuration from the environment.
     *
     * @throws Cli.UsageException when no client id is set (exit 2; the text says what IT needs)
     * @throws io.smtpassistant.app.config.AppConfig.ConfigException when a value is malformed (exit 3)
     */
    static MicrosoftSignInConfig config(CliContext context, Knowledge knowledge, Locale locale) {
        Optional<MicrosoftSignInConfig> config;
        try {
            config = MicrosoftSignInConfig.fromEnv(context.env());
        } catch (IllegalArgumentException e) {
            throw new io.smtpassistant.app.config.AppConfig.ConfigException(e.getMessage());
        }
        return config.orElseThrow(() -> new Cli.UsageException(knowledge.texts().text("cli.check.device-code-unconfigured", locale)));
    }

    /**
     * Runs the device-code sign-in, printing the code to {@code prompt}; Ctrl-C (through the context's
     * interrupt hook) cancels it within a second. The identity platform is trusted like the SMTP server:
     * the JDK's CAs plus {@code --ca-file}.
     */
    static SignInResult deviceCode(MicrosoftSignInConfig config, TrustConfig trust, CliContext context, PrintWriter prompt,
                                   Texts texts, Locale locale) {
        AtomicBoolean cancelled = new AtomicBoolean();
        context.interrupts().accept(() -> cancelled.set(true));
        HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext()).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        MicrosoftDeviceCodeSignIn signIn = new MicrosoftDeviceCodeSignIn(config, http, Clock.systemUTC(),
                MicrosoftDeviceCodeSignIn.Sleeper.real());
        try {
            return signIn.signIn("", code -> show(code, prompt, texts, locale), cancelled::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SignInResult.Cancelled();
        }
    }

    private static void show(DeviceCode code, PrintWriter prompt, Texts texts, Locale locale) {
        String until = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(code.expiresAt());
        prompt.println(texts.format("cli.signin.code", locale, Map.of("url", TerminalSafe.line(code.verificationUri()),
                "code", TerminalSafe.line(code.userCode()), "until", until)));
        prompt.flush();
    }

    /** "Signed in (as …)." for the terminal. */
    static String signedIn(SignInResult.SignedIn in, Texts texts, Locale locale) {
        return in.account().isEmpty() ? texts.text("cli.signin.signed-in", locale)
                : texts.format("cli.signin.signed-in-as", locale, Map.of("account", TerminalSafe.line(in.account())));
    }

    /** A failed sign-in as the terminal shows a diagnosis: code, title, explanation, steps, links, Microsoft's words. */
    static String failureText(SignInResult.Failed failed, Knowledge knowledge, Locale locale) {
        Texts t = knowledge.texts();
        DiagnosisCode code = knowledge.signInDiagnosis(failed.failure().name());
        Advice advice = knowledge.signInAdvice(failed.failure().name(), locale);
        StringBuilder b = new StringBuilder("\n");
        b.append(t.format("report.diagnosis", locale, Map.of("code", code.name(), "title", advice.title()))).append('\n');
        b.append("  ").append(advice.explanation()).append('\n');
        if (!failed.detail().isEmpty()) {
            b.append("  ").append(t.format("cli.signin.microsoft-said", locale,
                    Map.of("detail", TerminalSafe.line(failed.detail())))).append('\n');
        }
        steps(b, t.text("report.admin-steps", locale), advice.adminSteps());
        steps(b, t.text("report.it-steps", locale), advice.itSteps());
        if (!advice.links().isEmpty()) {
            b.append('\n').append(t.text("report.links", locale)).append('\n');
            advice.links().forEach(l -> b.append("  ").append(l).append('\n'));
        }
        return b.toString();
    }

    private static void steps(StringBuilder b, String heading, java.util.List<String> steps) {
        if (steps.isEmpty()) {
            return;
        }
        b.append('\n').append(heading).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            b.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
        }
    }

    /** A failed sign-in as JSON: {@code diagnosis} like a check report's, and {@code login} with Microsoft's code. */
    static String failureJson(SignInResult.Failed failed, Knowledge knowledge, Locale locale) {
        DiagnosisCode code = knowledge.signInDiagnosis(failed.failure().name());
        Advice advice = knowledge.signInAdvice(failed.failure().name(), locale);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode diagnosis = root.putObject("diagnosis");
        diagnosis.put("code", code.name());
        diagnosis.put("title", advice.title());
        ObjectNode adv = diagnosis.putObject("advice");
        adv.put("explanation", advice.explanation());
        advice.adminSteps().forEach(adv.putArray("admin")::add);
        advice.itSteps().forEach(adv.putArray("it")::add);
        advice.links().forEach(adv.putArray("links")::add);
        diagnosis.put("stage", "sign-in");
        ObjectNode login = root.putObject("login");
        login(login, "device-code", "");
        ObjectNode signIn = login.putObject("signIn");
        signIn.put("result", "failed");
        signIn.put("failure", failed.failure().name());
        signIn.put("errorCode", failed.errorCode());
        signIn.put("detail", failed.detail());
        return root.toString();
    }

    /** The {@code login} object of the JSON report: mechanism, where the token came from, the signed-in account. */
    static ObjectNode login(ObjectNode login, String source, String account) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("mechanism", "XOAUTH2");
        fields.put("method", "xoauth2");
        fields.put("tokenSource", source);
        fields.forEach(login::put);
        if (!account.isEmpty()) {
            login.put("account", account);
        }
        return login;
    }
}

package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What we know about one mail provider, as written in {@code providers.yaml}: how to recognise it
 * (address domains, MX host patterns, SMTP host names), the SMTP endpoints to use, the user-name
 * form, quirks worth telling the user, and where the user creates an app password or switches
 * access on. Immutable.
 *
 * <p>Domain and MX patterns are lower case. A pattern starting with a dot matches every name that
 * ends with it ({@code .mail.protection.outlook.com}); any other pattern matches only that exact name.
 *
 * @param id           stable id used by diagnoses, rules and support requests, e.g. {@code microsoft365}
 * @param name         the name shown to users, e.g. "Microsoft 365"
 * @param domains      address domains of the provider's own addresses ({@code gmx.de}, {@code .onmicrosoft.com})
 * @param mx           MX host patterns that identify mailboxes hosted there under a customer's own domain
 * @param smtp         the SMTP endpoints in order of preference; the first is the recommended one
 * @param otherHosts   further SMTP host names that identify the provider but are not recommended (old names)
 * @param username     how the user name is formed for the provider's own addresses
 * @param customDomain what differs for addresses at a customer's own domain hosted there, or {@code null}
 * @param oauthOnly    true when the provider accepts no password login from external apps at all; never
 *                     null (a left-out value reads as false; a Boolean because strict loading refuses a
 *                     missing primitive)
 * @param quirks       short notes for the user, e.g. "no client submission on port 465"
 * @param access       where the user creates an app password or switches external access on
 * @param sources      https:// addresses of the provider documentation the preset was checked against;
 *                     for editors, never shown to users
 * @param fingerprints how the provider's servers give themselves away (banner, EHLO name, reply ids,
 *                     host-name patterns), each with its source; see {@link ProviderRecognizer}
 * @param sharesServersWith the id of a provider whose servers this one sends through (Outlook.com
 *                     through Exchange Online), or "": the server's words then name the other one
 */
public record ProviderPreset(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("domains") List<String> domains,
        @JsonProperty("mx") List<String> mx,
        @JsonProperty(value = "smtp", required = true) List<Endpoint> smtp,
        @JsonProperty("otherHosts") List<String> otherHosts,
        @JsonProperty(value = "username", required = true) UsernameForm username,
        @JsonProperty("customDomain") @Nullable CustomDomain customDomain,
        @JsonProperty("oauthOnly") Boolean oauthOnly,
        @JsonProperty("quirks") List<LocalizedText> quirks,
        @JsonProperty("access") List<AccessStep> access,
        @JsonProperty("sources") List<String> sources,
        @JsonProperty("fingerprints") List<Fingerprint> fingerprints,
        @JsonProperty("sharesServersWith") String sharesServersWith) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern NAME = Pattern.compile("\\.?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    /** The only placeholder allowed in a host name: the domain of the user's address. */
    public static final String DOMAIN_PLACEHOLDER = "{domain}";

    public ProviderPreset {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a provider needs an id of lower-case letters, digits and '-', such as microsoft365; got '" + id + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("provider " + id + ": needs a display name");
        }
        if (smtp == null || smtp.isEmpty()) {
            throw new IllegalArgumentException("provider " + id + ": needs at least one smtp endpoint (host, port, security)");
        }
        if (username == null) {
            throw new IllegalArgumentException("provider " + id + ": needs a username form: full-address, local-part or account-address");
        }
        domains = names(id, "domain", domains);
        mx = names(id, "mx pattern", mx);
        otherHosts = names(id, "other host", otherHosts);
        smtp = List.copyOf(smtp);
        oauthOnly = oauthOnly != null && oauthOnly;
        quirks = quirks == null ? List.of() : List.copyOf(quirks);
        access = access == null ? List.of() : List.copyOf(access);
        sources = sources == null ? List.of() : List.copyOf(sources);
        for (String u : sources) {
            if (u == null || !u.startsWith("https://")) {
                throw new IllegalArgumentException("provider " + id + ": the source '" + u
                        + "' is not an https:// address; write the full address of the documentation page");
            }
        }
        fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        sharesServersWith = sharesServersWith == null ? "" : sharesServersWith.strip();
        if (sharesServersWith.equals(id)) {
            throw new IllegalArgumentException("provider " + id + ": sharesServersWith names the provider itself; name another provider or leave it out");
        }
    }

    /** The recommended endpoint for the provider's own addresses. */
    public Endpoint recommended() {
        return smtp.get(0);
    }

    /** The endpoints after the recommended one. */
    public List<Endpoint> alternatives() {
        return smtp.subList(1, smtp.size());
    }

    /** Whether the address domain (lower case) is one of the provider's own domains. */
    public boolean ownsDomain(String domain) {
        return domains.stream().anyMatch(p -> matches(p, domain));
    }

    /** The user-name form for an address: the custom-domain form when the address is not at one of the provider's domains. */
    public UsernameForm usernameFor(String email) {
        if (customDomain != null && customDomain.username() != null && !ownsDomain(Providers.domainOf(email))) {
            return customDomain.username();
        }
        return username;
    }

    /** The endpoints for an address, with {@code {domain}} filled in: the custom-domain ones when they exist and apply. */
    public List<Endpoint> endpointsFor(String email) {
        String domain = Providers.domainOf(email);
        List<Endpoint> list = customDomain != null && !customDomain.smtp().isEmpty() && !ownsDomain(domain)
                ? customDomain.smtp() : smtp;
        return list.stream().map(e -> e.forDomain(domain)).toList();
    }

    /** Whether a lower-case name matches a pattern: {@code .x.y} matches names ending in it, anything else only itself. */
    static boolean matches(String pattern, String name) {
        return pattern.startsWith(".") ? name.endsWith(pattern) : name.equals(pattern);
    }

    private static List<String> names(String id, String what, @Nullable List<String> list) {
        if (list == null) {
            return List.of();
        }
        return list.stream().map(n -> {
            String s = n == null ? "" : n.strip().toLowerCase(Locale.ROOT);
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!NAME.matcher(s).matches()) {
                throw new IllegalArgumentException("provider " + id + ": the " + what + " '" + n
                        + "' is not a host name; write e.g. gmx.de, or .mail.protection.outlook.com for every name ending in it");
            }
            return s;
        }).toList();
    }

    /**
     * One SMTP endpoint. Ports and security must agree: 465 is implicit TLS; 587, 25 and 2525 use
     * STARTTLS (or none). The host may contain {@code {domain}} (only the generic preset needs it).
     */
    public record Endpoint(
            @JsonProperty(value = "host", required = true) String host,
            @JsonProperty(value = "port", required = true) int port,
            @JsonProperty(value = "security", required = true) Security security) {

        public Endpoint {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("an smtp endpoint needs a host such as smtp.example.com");
            }
            host = host.strip().toLowerCase(Locale.ROOT);
            String plain = host.replace(DOMAIN_PLACEHOLDER, "example.com");
            if (plain.contains("{") || !NAME.matcher(plain).matches() || plain.startsWith(".")) {
                throw new IllegalArgumentException("the smtp host '" + host + "' is not a host name; write e.g. smtp.example.com"
                        + " (the only placeholder allowed is " + DOMAIN_PLACEHOLDER + ")");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("smtp " + host + ": port " + port + " is outside 1-65535");
            }
            if (security == null || security == Security.AUTO) {
                throw new IllegalArgumentException("smtp " + host + ":" + port + ": security must be starttls, tls or none");
            }
            if (port == 465 && security != Security.TLS) {
                throw new IllegalArgumentException("smtp " + host + ": port 465 is implicit TLS; write security: tls (not " + security.id() + ")");
            }
            if ((port == 587 || port == 25 || port == 2525) && security == Security.TLS) {
                throw new IllegalArgumentException("smtp " + host + ": port " + port
                        + " starts unencrypted and upgrades with STARTTLS; write security: starttls, or use port 465 for tls");
            }
        }

        /** Whether the host is a template with {@code {domain}}. */
        public boolean isTemplate() {
            return host.contains(DOMAIN_PLACEHOLDER);
        }

        /** This endpoint with {@code {domain}} replaced by the given domain. */
        public Endpoint forDomain(String domain) {
            return isTemplate() ? new Endpoint(host.replace(DOMAIN_PLACEHOLDER, domain), port, security) : this;
        }
    }

    /** How the SMTP user name is formed from the sender address. */
    public enum UsernameForm {
        /** The whole address, e.g. {@code anna@example.com}. */
        FULL_ADDRESS,
        /** The part before the {@code @}, e.g. {@code anna} (WEB.DE). */
        LOCAL_PART,
        /**
         * The address the account signs in with, which differs from the sender address and cannot
         * be derived from it (iCloud+ custom domain: the Apple Account address).
         */
        ACCOUNT_ADDRESS;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        static UsernameForm fromJson(String text) {
            for (UsernameForm f : values()) {
                if (f.id().equals(text)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown username form '" + text + "'; expected full-address, local-part or account-address");
        }
    }

    /** What differs for a customer's own domain hosted at the provider; left-out fields keep the general values. */
    public record CustomDomain(
            @JsonProperty("smtp") List<Endpoint> smtp,
            @JsonProperty("username") @Nullable UsernameForm username) {
        public CustomDomain {
            smtp = smtp == null ? List.of() : List.copyOf(smtp);
            if (smtp.isEmpty() && username == null) {
                throw new IllegalArgumentException("customDomain needs smtp endpoints or a username form; otherwise leave it out");
            }
        }
    }

    /** A step the mailbox owner takes at the provider before external apps may log in. */
    public record AccessStep(
            @JsonProperty(value = "kind", required = true) AccessKind kind,
            @JsonProperty(value = "url", required = true) String url,
            @JsonProperty(value = "instruction", required = true) LocalizedText instruction) {
        public AccessStep {
            if (kind == null) {
                throw new IllegalArgumentException("an access step needs a kind: app-password, enable-access or mail-password");
            }
            if (url == null || !url.startsWith("https://")) {
                throw new IllegalArgumentException("an access step needs an https:// url where the user does it; got '" + url + "'");
            }
            if (instruction == null) {
                throw new IllegalArgumentException("an access step needs an instruction in en and de");
            }
        }
    }

    /** The kind of {@link AccessStep}. */
    public enum AccessKind {
        /** Create an app password (or app-specific password) and use it instead of the account password. */
        APP_PASSWORD,
        /** Switch on access for e-mail programs (POP3/IMAP/SMTP) in the webmail settings. */
        ENABLE_ACCESS,
        /** Set a separate password for e-mail programs (T-Online). */
        MAIL_PASSWORD;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        static AccessKind fromJson(String text) {
            for (AccessKind k : values()) {
                if (k.id().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown access kind '" + text + "'; expected app-password, enable-access or mail-password");
        }
    }
}

package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A mail server program (Postfix, Exim, Exchange on-premises…) as written under {@code software:}
 * in {@code providers.yaml}. Not a mailbox provider: it has no endpoints or user-name form, only
 * fingerprints. When the server names its software and no mailbox provider is recognised from the
 * server or the host name, advice can still be specific: a diagnoses.yaml variant or a rules.yaml
 * rule may name the software's id (e.g. Postfix's {@code smtpd_sender_login_maps}).
 *
 * @param id           stable id, lower case, distinct from every provider id, e.g. {@code postfix}
 * @param name         the name shown to users, e.g. "Postfix"
 * @param fingerprints how the server gives itself away; at least one
 */
public record ServerSoftware(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "fingerprints", required = true) List<Fingerprint> fingerprints) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public ServerSoftware {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("server software needs an id of lower-case letters, digits and '-', such as postfix; got '" + id + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("software " + id + ": needs a display name");
        }
        fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("software " + id + ": needs at least one fingerprint (otherwise nothing can recognise it)");
        }
    }
}

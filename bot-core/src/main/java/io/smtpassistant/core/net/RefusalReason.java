package io.smtpassistant.core.net;

/** Why {@link NetworkGuard#vet(String, int)} refused a target. */
public enum RefusalReason {
    /** The port is outside 1&ndash;65535 or not in {@link NetworkPolicy#allowedPorts()}. */
    PORT_NOT_ALLOWED,
    /**
     * The host is, or resolves to (at least one), an address that is not
     * {@link AddressCategory#PUBLIC} while {@link NetworkPolicy#denyPrivate()} is on.
     * The checker reports this as the diagnosis {@code PRIVATE_ADDRESS}.
     */
    NON_PUBLIC_ADDRESS
}

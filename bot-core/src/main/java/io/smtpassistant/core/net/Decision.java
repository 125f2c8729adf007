package io.smtpassistant.core.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** Outcome of {@link NetworkGuard#vet(String, int)}. */
public sealed interface Decision {

    /**
     * The target may be contacted, at these addresses only, in this order.
     *
     * @param addresses non-empty, without duplicates; connect only to {@link VettedAddress#address()}
     */
    record Allowed(List<VettedAddress> addresses) implements Decision {
        public Allowed {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no addresses");
            }
        }
    }

    /**
     * The target must not be contacted.
     *
     * @param reason   why
     * @param address  the offending address; {@code null} for {@link RefusalReason#PORT_NOT_ALLOWED}
     * @param category its category; {@code null} for {@link RefusalReason#PORT_NOT_ALLOWED}
     * @param detail   English explanation for logs (host, address, category reason or allowed ports)
     */
    record Refused(RefusalReason reason, InetAddress address, AddressCategory category, String detail)
            implements Decision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            if (reason == RefusalReason.NON_PUBLIC_ADDRESS) {
                Objects.requireNonNull(address, "address");
                Objects.requireNonNull(category, "category");
            }
        }
    }

    /**
     * The host is not an IP literal and did not resolve (or is not a valid host name at all).
     *
     * @param host   the host as given
     * @param detail English explanation for logs
     */
    record NotFound(String host, String detail) implements Decision {
        public NotFound {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The host is not an IP literal and the resolver could not answer (SERVFAIL, timeout, no network):
     * nothing is known about the name.
     *
     * @param host   the host as given
     * @param detail English explanation for logs
     */
    record LookupFailed(String host, String detail) implements Decision {
        public LookupFailed {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(detail, "detail");
        }
    }
}

package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.Security;

/**
 * What was checked: the host as the user gave it, the vetted address actually connected to ("" when
 * the check ended before connecting), the port and the security mode.
 */
public record Target(String host, String address, int port, Security security) {
}

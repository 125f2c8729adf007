package io.smtpassistant.core.check;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;

/** What the trust manager saw during one handshake; written on the handshake thread, read after it. */
final class TlsObservation {

    enum Failure { NONE, EXPIRED, UNTRUSTED, HOSTNAME }

    volatile X509Certificate[] chain;
    volatile Failure failure = Failure.NONE;
    volatile String failureDetail = "";
    volatile SSLSocket socket;
}

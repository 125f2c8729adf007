package io.smtpassistant.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: it starts a real Postfix, reloads it, reports its errors and leaves nothing running. */
class RealPostfixTest {

    @TempDir
    Path work;

    private static RawClient.Reply rcptToPostmaster(int port) throws IOException {
        try (RawClient c = RawClient.connect(port, 10_000)) {
            assertEquals(220, c.readReply().code());
            assertEquals(250, c.command("EHLO client.example.net").code());
            assertEquals(250, c.command("MAIL FROM:<hr@example.com>").code());
            RawClient.Reply rcpt = c.command("RCPT TO:<postmaster@" + RealPostfix.HOSTNAME + ">");
            c.command("QUIT");
            return rcpt;
        }
    }

    @Test
    void servesReloadsAChangedMapAndStopsEverythingOnClose() throws IOException {
        RealPostfix postfix = RealPostfix.builder(work)
                .file("client_access", "192.0.2.1 REJECT\n")
                .smtpd("mx", "smtpd_client_restrictions=check_client_access,texthash:$config_directory/client_access")
                .start();
        long master;
        int port = postfix.port("mx");
        try {
            master = Long.parseLong(Files.readString(work.resolve("spool/pid/master.pid"), StandardCharsets.US_ASCII).strip());
            assertEquals(250, rcptToPostmaster(port).code(), postfix::log);

            postfix.writeFile("client_access", "127.0.0.1 REJECT\n");
            postfix.reload();
            RawClient.Reply refused = rcptToPostmaster(port);
            assertEquals(554, refused.code(), postfix::log);
            assertTrue(refused.last().contains("Client host rejected: Access denied"), refused::toString);
            assertTrue(postfix.log().contains("daemon started -- version 3."), postfix::log);
        } finally {
            postfix.close();
        }
        assertEquals(Optional.empty(), ProcessHandle.of(master).filter(ProcessHandle::isAlive), "master still runs");
        assertThrows(IOException.class, () -> RawClient.connect(port, 1_000), "the port still accepts connections");
        postfix.close(); // idempotent
    }

    @Test
    void aConfigurationPostfixRefusesFailsWithPostfixsOwnWords() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RealPostfix.builder(work)
                .main("mail_owner", "root").smtpd("mx").start());

        assertTrue(e.getMessage().contains("postfix start failed"), e::getMessage);
        assertTrue(e.getMessage().contains("mail_owner"), e::getMessage);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains(work.toString())).orElse(false)), "a daemon of this instance runs");
    }

    @Test
    void overridesWithSpacesAreRefusedWithTheRightForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RealPostfix.builder(work)
                .smtpd("mx", "smtpd_client_restrictions=check_client_access texthash:/x").start());
        assertTrue(e.getMessage().contains("name=value without spaces"), e::getMessage);
    }

    @Test
    void reportsWhatThisMachineLacks() {
        // CI runs as root with both packages (.ci/run installs them); the message for anyone else names the fix
        assertEquals(Optional.empty(), RealPostfix.problem(), () -> RealPostfix.problem().orElse(""));
    }
}

package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.knowledge.Knowledge;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerModeTest {

    @Test
    void teamsLocalModeListensOnLoopbackByDefault(@TempDir Path data) throws Exception {
        AppConfig config = AppConfig.load(Map.of("TEAMS_LOCAL", "true", "SMTP_ASSISTANT_HTTP_PORT", "0",
                "SMTP_ASSISTANT_DATA_DIR", data.toString()));
        assertTrue(ServerMode.anyEnabled(config));
        try (ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
             ServerMode server = new ServerMode().start(config, services, "0.0.0.0")) {
            assertTrue(server.http().address().getAddress().isLoopbackAddress(), "bound to " + server.http().address());
        }
    }

    @Test
    void noPlatformConfiguredMeansTheTerminalChat() {
        assertFalse(ServerMode.anyEnabled(AppConfig.load(Map.of())));
    }
}

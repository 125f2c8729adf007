package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teams-package} as a Teams admin runs it: the real command line, the zip read back. */
class TeamsPackageCommandTest {

    private static final String ID = "5d2f9c3e-8b1a-4e7d-a6c4-1f0e9b8d7a65";

    @Test
    void writesTheZipWithTheIdTheDomainAndBothIcons(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("out/teams-app.zip");
        CliRun r = CliRun.of("teams-package", "--app-id", ID, "--name", "Mail Help", "--domain", "bot.example.com", "--out", zip.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Upload it in Teams"), r.out());
        try (ZipFile z = new ZipFile(zip.toFile())) {
            JsonNode m = new ObjectMapper().readTree(z.getInputStream(z.getEntry("manifest.json")));
            assertEquals(ID, m.path("id").asText());
            assertEquals(ID, m.path("bots").path(0).path("botId").asText());
            assertEquals("Mail Help", m.path("name").path("short").asText());
            assertTrue(m.path("validDomains").toString().contains("\"bot.example.com\""), m.toString());
            BufferedImage color = ImageIO.read(z.getInputStream(z.getEntry(m.path("icons").path("color").asText())));
            BufferedImage outline = ImageIO.read(z.getInputStream(z.getEntry(m.path("icons").path("outline").asText())));
            assertEquals(192, color.getWidth());
            assertEquals(192, color.getHeight());
            assertEquals(32, outline.getWidth());
            assertEquals(32, outline.getHeight());
        }
    }

    @Test
    void aBadIdIsAUsageErrorWithARightExample(@TempDir Path dir) {
        Path zip = dir.resolve("teams-app.zip");
        CliRun r = CliRun.of("teams-package", "--app-id", "my-bot", "--out", zip.toString());
        assertEquals(Cli.EXIT_USAGE, r.exit(), r.all());
        assertTrue(r.err().contains("--app-id: 'my-bot' is not an app id"), r.err());
        assertTrue(r.err().matches("(?s).*GUID like [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*"), r.err());
        CliRun nil = CliRun.of("teams-package", "--app-id", "00000000-0000-0000-0000-000000000000", "--out", zip.toString());
        assertEquals(Cli.EXIT_USAGE, nil.exit(), nil.all());
        assertTrue(nil.err().contains("nil GUID"), nil.err());
        CliRun domain = CliRun.of("teams-package", "--app-id", ID, "--domain", "https://bot.example.com", "--out", zip.toString());
        assertEquals(Cli.EXIT_USAGE, domain.exit(), domain.all());
        assertTrue(domain.err().startsWith("--domain: "), domain.err());
        assertFalse(Files.exists(zip), "nothing written for bad input");
    }
}

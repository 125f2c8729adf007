package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeamsAppPackageTest {

    @Test
    void packageHasTheManifestWithTheBotIdAndBothIconsInTheirSizes(@TempDir Path dir) throws Exception {
        Path zipPath = dir.resolve("teams-app.zip");
        TeamsAppPackage.Result r = TeamsAppPackage.write(new TeamsAppPackage.Options("0C4E2B8A-1111-2222-3333-444455556666",
                "Mail Help", List.of("bot.example.com")), zipPath);
        assertEquals(new TeamsAppPackage.Result.Written(zipPath), r);
        Map<String, byte[]> entries = entries(zipPath);
        assertEquals(java.util.Set.of("manifest.json", "color.png", "outline.png"), entries.keySet());
        JsonNode m = new ObjectMapper().readTree(entries.get("manifest.json"));
        assertEquals("0c4e2b8a-1111-2222-3333-444455556666", m.path("id").asText());
        assertEquals("0c4e2b8a-1111-2222-3333-444455556666", m.path("bots").path(0).path("botId").asText());
        assertEquals("Mail Help", m.path("name").path("short").asText());
        assertEquals("[\"bot.example.com\"]", m.path("validDomains").toString());
        assertFalse(new String(entries.get("manifest.json")).contains("{{"), "no placeholder left");
        assertEquals("color.png", m.path("icons").path("color").asText());
        BufferedImage color = ImageIO.read(new ByteArrayInputStream(entries.get("color.png")));
        BufferedImage outline = ImageIO.read(new ByteArrayInputStream(entries.get("outline.png")));
        assertEquals(192, color.getWidth());
        assertEquals(192, color.getHeight());
        assertEquals(32, outline.getWidth());
        assertEquals(32, outline.getHeight());
        assertEquals(0, outline.getRGB(0, 0) >>> 24, "the outline's background is transparent");
        assertTrue(m.path("bots").path(0).path("scopes").toString().contains("team"), "the bot can be added to a team");
    }

    @Test
    void refusesWhatIsNoAppIdWithAnExampleAndWritesNothing(@TempDir Path dir) throws Exception {
        Path zipPath = dir.resolve("teams-app.zip");
        for (String bad : List.of("my-bot", "0c4e2b8a-1111-2222-3333-44445555666", "", "{{MicrosoftAppId}}")) {
            TeamsAppPackage.Result r = TeamsAppPackage.write(new TeamsAppPackage.Options(bad, null, List.of()), zipPath);
            String message = ((TeamsAppPackage.Result.Invalid) r).message();
            assertTrue(message.contains("GUID like " + TeamsAppPackage.EXAMPLE_ID), message);
        }
        TeamsAppPackage.Result nil = TeamsAppPackage.write(new TeamsAppPackage.Options(TeamsAppPackage.NIL_GUID, null, List.of()), zipPath);
        assertTrue(((TeamsAppPackage.Result.Invalid) nil).message().contains("nil GUID"), nil::toString);
        TeamsAppPackage.Result domain = TeamsAppPackage.write(new TeamsAppPackage.Options(TeamsAppPackage.EXAMPLE_ID, null,
                List.of("https://bot.example.com/api")), zipPath);
        assertTrue(((TeamsAppPackage.Result.Invalid) domain).message().contains("e.g. bot.example.com"), domain::toString);
        TeamsAppPackage.Result name = TeamsAppPackage.write(new TeamsAppPackage.Options(TeamsAppPackage.EXAMPLE_ID,
                "A name far longer than thirty characters", List.of()), zipPath);
        assertTrue(((TeamsAppPackage.Result.Invalid) name).message().contains("1 to 30 characters"), name::toString);
        assertFalse(Files.exists(zipPath), "nothing is written for bad input");
    }

    @Test
    void theBuildWithoutAnAppIdShipsNoPackageAndSaysHowToMakeOne(@TempDir Path dir) throws Exception {
        Path zipPath = dir.resolve("teams-app.zip");
        Files.writeString(zipPath, "an old package");
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            TeamsAppPackage.main(new String[] {zipPath.toString(), "${env.MicrosoftAppId}"});
        } finally {
            System.setOut(old);
        }
        assertFalse(Files.exists(zipPath), "no package with the nil GUID (or an old one) is left");
        assertTrue(said.toString(java.nio.charset.StandardCharsets.UTF_8).contains("./smtp-assistant teams-package --app-id"), said::toString);
    }

    @Test
    void theBuildOutputHasNoNilGuid() throws Exception {
        // what `mvn package` left in target/ (the zip exists only when MicrosoftAppId was set)
        Path built = Path.of("target", "teams-app.zip");
        if (Files.exists(built)) {
            assertFalse(new String(entries(built).get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8)
                    .contains(TeamsAppPackage.NIL_GUID));
        }
        try (var in = TeamsAppPackage.class.getResourceAsStream("manifest.json")) {
            String template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(template.contains(TeamsAppPackage.NIL_GUID), "the shipped template has the placeholder, never the nil GUID");
            assertTrue(template.contains(TeamsAppPackage.PLACEHOLDER), template);
        }
    }

    private static Map<String, byte[]> entries(Path zipPath) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = new ZipFile(zipPath.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }
}

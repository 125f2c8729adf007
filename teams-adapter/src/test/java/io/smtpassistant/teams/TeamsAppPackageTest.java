package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
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
        TeamsAppPackage.build(Path.of("..", "teams", "manifest.json"), zipPath, "0c4e2b8a-1111-2222-3333-444455556666");
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = new ZipFile(zipPath.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        assertEquals(java.util.Set.of("manifest.json", "color.png", "outline.png"), entries.keySet());
        JsonNode m = new ObjectMapper().readTree(entries.get("manifest.json"));
        assertEquals("0c4e2b8a-1111-2222-3333-444455556666", m.path("bots").path(0).path("botId").asText());
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
}

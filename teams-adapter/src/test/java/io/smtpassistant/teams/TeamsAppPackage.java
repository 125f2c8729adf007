package io.smtpassistant.teams;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Builds {@code teams-app.zip}, the package to upload to Teams: {@code manifest.json} (from
 * {@code teams/manifest.json}, with {@code {{MicrosoftAppId}}} replaced) and the two icons, drawn
 * here with ImageIO (color 192×192, outline 32×32 white on transparent) so no binary is kept in git.
 * Run by the build in the {@code package} phase:
 * {@code TeamsAppPackage <manifest.json> <out.zip> [MicrosoftAppId]}.
 */
public final class TeamsAppPackage {

    static final String PLACEHOLDER = "{{MicrosoftAppId}}";
    static final String NO_APP_ID = "00000000-0000-0000-0000-000000000000";

    private TeamsAppPackage() {
    }

    public static void main(String[] args) throws IOException {
        Path manifest = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String appId = args.length > 2 && args[2] != null && !args[2].isBlank() && !args[2].startsWith("${") ? args[2].strip() : "";
        if (appId.isEmpty()) {
            System.out.println("[teams-app.zip] MicrosoftAppId was not set at build time: the package uses " + NO_APP_ID
                    + "; build with MicrosoftAppId=<your bot's app id> to get one ready to upload");
        }
        build(manifest, out, appId.isEmpty() ? NO_APP_ID : appId);
        System.out.println("[teams-app.zip] written to " + out);
    }

    static void build(Path manifest, Path out, String appId) throws IOException {
        String json = Files.readString(manifest, StandardCharsets.UTF_8).replace(PLACEHOLDER, appId);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "manifest.json", json.getBytes(StandardCharsets.UTF_8));
            entry(zip, "color.png", png(color()));
            entry(zip, "outline.png", png(outline()));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(image, "png", b);
        return b.toByteArray();
    }

    /** An envelope with a check mark on the accent colour. */
    static BufferedImage color() {
        BufferedImage img = new BufferedImage(192, 192, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x2E, 0x5A, 0xAC));
        g.fillRect(0, 0, 192, 192);
        envelope(g, 36, 52, 120, 88, 8f);
        g.setColor(new Color(0x3C, 0xC8, 0x6E));
        g.setStroke(new BasicStroke(12f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawPolyline(new int[] {110, 128, 160}, new int[] {128, 146, 108}, 3);
        g.dispose();
        return img;
    }

    /** The envelope only, white on transparent, as Teams wants outlines. */
    static BufferedImage outline() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        envelope(g, 3, 7, 26, 18, 2f);
        g.dispose();
        return img;
    }

    private static void envelope(Graphics2D g, int x, int y, int w, int h, float stroke) {
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawRect(x, y, w, h);
        g.drawPolyline(new int[] {x, x + w / 2, x + w}, new int[] {y, y + h * 3 / 5, y}, 3);
    }
}

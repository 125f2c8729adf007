package io.smtpassistant.teams;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.input.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Builds {@code teams-app.zip}, the package a Teams admin uploads for their own bot registration:
 * {@code manifest.json} (the template {@code teams/manifest.json}, shipped in this jar, with the bot's app id,
 * the app's short name and the valid domains filled in) and the two icons Teams requires, drawn here with ImageIO
 * (color 192×192, outline 32×32 white on transparent) so no binary is kept in git.
 *
 * <p>Used by {@code ./smtp-assistant teams-package} (no Maven needed) and by the build's {@code package} phase:
 * {@code TeamsAppPackage <out.zip> [MicrosoftAppId]}. Without an app id the build writes no zip (a package with
 * the nil GUID as its id cannot be registered, and was a trap), and says how to make one.
 */
public final class TeamsAppPackage {

    static final String PLACEHOLDER = "{{MicrosoftAppId}}";
    static final String NIL_GUID = "00000000-0000-0000-0000-000000000000";
    /** A well-formed example for messages (a random GUID, not anybody's app). */
    public static final String EXAMPLE_ID = "0c4e2b8a-7d1f-4c3e-9a5b-2f6d8e1a4b7c";
    /** Teams allows at most 30 characters in {@code name.short}. */
    static final int SHORT_NAME_MAX = 30;
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HOST = Pattern.compile("(?i)(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    /** What goes into the package; {@code name} null keeps the template's. */
    public record Options(String appId, String name, List<String> domains) {
        public Options {
            domains = List.copyOf(domains);
        }
    }

    /** The outcome of {@link #write}: the zip, or what was wrong with the input (nothing written). */
    public sealed interface Result {
        record Written(Path zip) implements Result {
        }

        /** {@code field}: app-id, name or domain (a command line prefixes its flag). */
        record Invalid(String field, String message) implements Result {
        }
    }

    private TeamsAppPackage() {
    }

    /** The build's step: writes the zip only for a real app id; without one removes an old zip and says why. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        String appId = args.length > 1 && args[1] != null && !args[1].isBlank() && !args[1].startsWith("${") ? args[1].strip() : "";
        if (appId.isEmpty()) {
            Files.deleteIfExists(out);
            System.out.println("[teams-app.zip] not written: MicrosoftAppId was not set at build time. Make the package for your"
                    + " bot with: ./smtp-assistant teams-package --app-id <your bot's app id, e.g. " + EXAMPLE_ID + ">");
            return;
        }
        switch (write(new Options(appId, null, List.of()), out)) {
            case Result.Written w -> System.out.println("[teams-app.zip] written to " + w.zip());
            case Result.Invalid i -> throw new IllegalArgumentException("[teams-app.zip] MicrosoftAppId: " + i.message());
        }
    }

    /** Why {@code appId} cannot be a bot's app id, or empty when it can. */
    public static Optional<String> appIdProblem(String appId) {
        String id = appId == null ? "" : appId.strip();
        if (!GUID.matcher(id).matches()) {
            return Optional.of("'" + Inputs.shorten(id) + "' is not an app id; give the bot's Microsoft App ID, a GUID like " + EXAMPLE_ID
                    + " (Azure portal: your Azure Bot → Configuration → Microsoft App ID)");
        }
        if (id.equals(NIL_GUID)) {
            return Optional.of(NIL_GUID + " is the nil GUID, a placeholder that Teams cannot register; give your bot's"
                    + " Microsoft App ID, e.g. " + EXAMPLE_ID);
        }
        return Optional.empty();
    }

    /** Validates the options and writes the zip to {@code out} (its folder is created). */
    public static Result write(Options options, Path out) throws IOException {
        Optional<String> idProblem = appIdProblem(options.appId());
        if (idProblem.isPresent()) {
            return new Result.Invalid("app-id", idProblem.get());
        }
        if (options.name() != null && (options.name().isBlank() || options.name().strip().length() > SHORT_NAME_MAX)) {
            return new Result.Invalid("name", "the name must be 1 to " + SHORT_NAME_MAX + " characters (Teams' limit for an app's short name),"
                    + " e.g. \"Mail Help\"; it was " + options.name().strip().length());
        }
        for (String d : options.domains()) {
            if (!HOST.matcher(d.strip()).matches() || d.strip().length() > 253) {
                return new Result.Invalid("domain", "'" + Inputs.shorten(d) + "' is not a host name; give the domain the bot is reached at,"
                        + " e.g. bot.example.com (no https://, no path)");
            }
        }
        String id = options.appId().strip().toLowerCase(Locale.ROOT);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest;
        try (InputStream in = TeamsAppPackage.class.getResourceAsStream("manifest.json")) {
            if (in == null) {
                throw new IOException("the manifest template io/smtpassistant/teams/manifest.json is missing from the jar");
            }
            manifest = (ObjectNode) json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(PLACEHOLDER, id));
        }
        if (options.name() != null) {
            ((ObjectNode) manifest.path("name")).put("short", options.name().strip());
        }
        ArrayNode domains = manifest.putArray("validDomains");
        options.domains().stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).distinct().forEach(domains::add);
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".teams-app", ".zip");
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "manifest.json", bytes);
            entry(zip, "color.png", png(color()));
            entry(zip, "outline.png", png(outline()));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        return new Result.Written(out);
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

package io.smtpassistant.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium through chromedriver: the numbers are on the page and
 * uPlot drew its chart from the jar (the page loads nothing else). Saves target/dashboard.png (docs/, for the
 * README, with {@code -Ddashboard.screenshot=docs}). Without Chromium the test fails; .ci/run installs it.
 */
class DashboardBrowserTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void thePageShowsTheNumbersAndDrawsTheChart(@TempDir Path dataDir, @TempDir Path profile) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "this test needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver (.ci/browser.sh)");
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open();
                HttpServerHost host = new HttpServerHost(new InetSocketAddress("127.0.0.1", 0))) {
            seed(store);
            Dashboard.install(host, Map.of(Dashboard.TOKEN_ENV, "browser-token"), store, Clock.fixed(NOW, ZoneOffset.UTC));
            host.start();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=900,1100");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                driver.get("http://127.0.0.1:" + host.port() + "/dashboard?token=browser-token");
                assertEquals("Solved 50.0 %, escalated 25.0 % of 4", driver.findElement(By.id("rates")).getText());
                List<WebElement> canvases = new WebDriverWait(driver, Duration.ofSeconds(10))
                        .until(d -> {
                            List<WebElement> c = d.findElements(By.cssSelector("#chart .uplot canvas"));
                            return c.isEmpty() ? null : c;
                        });
                WebElement canvas = canvases.get(0);
                assertTrue(canvas.getSize().getWidth() > 0 && canvas.getSize().getHeight() > 0, canvas.getSize().toString());
                assertEquals(1, driver.findElements(By.cssSelector("#chart .u-legend")).size(), "uPlot's legend");
                assertEquals(2, driver.findElements(By.cssSelector("#requests tr")).size(), "header and the open request");
                Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
                // into target/ on every run (a test run leaves the checkout clean); into docs/ for the README
                // only when asked: -Ddashboard.screenshot=docs
                Path into = "docs".equals(System.getProperty("dashboard.screenshot")) ? Path.of("..", "docs") : Path.of("target");
                assertTrue(Files.isDirectory(into), "run from the app module: " + into.toAbsolutePath());
                Files.copy(shot, into.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(into.resolve("dashboard.png")) > 1000);
            } finally {
                driver.quit();
            }
        }
    }

    private static void seed(SupportRequestStore store) {
        store.create(io.smtpassistant.core.support.NewSupportRequest.of(
                new io.smtpassistant.core.support.Requester("teams", "aad-42", "Ivo IT"), "SMTP AUTH refused by Microsoft 365",
                new io.smtpassistant.core.check.CheckSettings("", 0, io.smtpassistant.knowledge.Security.AUTO, "", "", "", false),
                null, List.of(), "", NOW.minus(Duration.ofHours(26))));
        record Row(Outcome o, Feedback f, String provider, String diagnosis, Integer fix, int daysAgo) {
        }
        for (Row r : List.of(new Row(Outcome.SOLVED, Feedback.YES, "gmail", "auth-app-password", 90, 1),
                new Row(Outcome.SOLVED, Feedback.YES, "microsoft365", "auth-basic-disabled", 300, 3),
                new Row(Outcome.ESCALATED, Feedback.NONE, "<script>alert(1)</script>", "auth-basic-disabled", null, 3),
                new Row(Outcome.UNCONFIRMED, Feedback.NOT_YET, "microsoft365", "ok", 120, 6))) {
            Instant end = NOW.minus(Duration.ofDays(r.daysAgo()));
            store.outcomes().record(new ConversationOutcome(r.o(), r.f(), Optional.of(r.provider()), Optional.of(r.diagnosis()),
                    Optional.of(r.diagnosis()), 2, Optional.ofNullable(r.fix()).map(Duration::ofSeconds), "slack", "en",
                    end.minusSeconds(600), end));
        }
    }
}

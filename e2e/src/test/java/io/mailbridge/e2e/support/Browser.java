package io.mailbridge.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the machine's packages (Debian's chromium and chromium-driver), as a
 * person's browser that trusts the sandbox's CA: each browser gets its own NSS database (Chromium
 * reads $HOME/.pki/nssdb on Linux) holding that CA, so it verifies every chain as it would in Azure.
 */
public final class Browser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CERTUTIL = Path.of("/usr/bin/certutil");

    private Browser() {}

    /** @param trustedCa the PEM of the one CA this browser trusts besides the system's */
    public static ChromeDriver start(Path trustedCa) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CERTUTIL)) {
            throw new IllegalStateException("Browser tests need Chromium, its driver and NSS's certutil: apt-get install chromium"
                    + " chromium-driver libnss3-tools (.ci/run installs them)");
        }
        Path home = homeTrusting(trustedCa);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withEnvironment(Map.of("HOME", home.toString())).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** A fresh home folder whose NSS database trusts the CA to identify web sites ("C,,"). */
    private static Path homeTrusting(Path trustedCa) {
        try {
            Path home = Files.createTempDirectory("mailbridge-browser-home");
            Path nssdb = Files.createDirectories(home.resolve(".pki").resolve("nssdb"));
            String database = "sql:" + nssdb;
            certutil(List.of("-N", "-d", database, "--empty-password"));
            certutil(List.of("-A", "-d", database, "-n", "Mailbridge sandbox CA", "-t", "C,,", "-i", trustedCa.toString()));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void certutil(List<String> arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(CERTUTIL.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("certutil " + arguments + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

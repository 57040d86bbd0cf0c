package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.accounts.CrmAccounts;
import io.mailbridge.e2e.support.Browser;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.tls.SandboxTls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person in headless Chromium connects a mailbox, starting on the CRM's profile page. */
@ExtendWith(StackExtension.class)
class BrowserConnectIT {
    private Stack stack;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser(Stack stack) {
        this.stack = stack;
        this.browser = Browser.start(stack.sandbox().trustedCertificateFile());
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser(TestInfo test) throws Exception {
        // A screenshot of the last page, for a person to look at when a test fails.
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.quit();
    }

    private void startConnectingAs(String displayName) {
        browser.get(stack.crm().profileUrl().toString());
        browser.findElement(By.cssSelector("button[aria-label='Connect email > Microsoft 365 for " + displayName + "']")).click();
        wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
    }

    /** Picks the account at Microsoft, accepts or cancels, and lets the form_post page hand the answer back. */
    static void signInAtMicrosoftAs(ChromeDriver browser, String upn, String button) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        browser.findElement(By.xpath("//label[contains(., '" + upn + "')]/input")).click();
        browser.findElement(By.cssSelector("button[value='" + button + "']")).click();
        wait.until(ExpectedConditions.titleContains("Working"));
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    private void signInAtMicrosoftAs(String upn, String button) {
        signInAtMicrosoftAs(browser, upn, button);
    }

    /** The Connected page stays until the person leaves it by its link. */
    private void backToCrmFromTheConnectedPage() {
        wait.until(ExpectedConditions.titleIs("Your mailbox is connected"));
        browser.findElement(By.linkText("Back to the CRM")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
    }

    @Test
    void theAppIsServedOverHttpsThatABrowserVerifiesAgainstTheSandboxCa() throws Exception {
        String health = stack.appBaseUrl().resolve("api/health").toString();
        assertTrue(health.startsWith("https://localhost:"), health);
        browser.get(health);
        assertTrue(browser.getPageSource().contains("\"status\""), browser.getPageSource());

        // A browser that trusts another CA gets Chromium's certificate interstitial, not the page.
        Path otherCa = Files.createTempDirectory("other-ca");
        SandboxTls.generate().writeTrustFiles(otherCa.resolve("ca.pem"), otherCa.resolve("ca.p12"));
        ChromeDriver stranger = Browser.start(otherCa.resolve("ca.pem"));
        try {
            stranger.get(health);
            assertTrue(stranger.getPageSource().contains("ERR_CERT_AUTHORITY_INVALID"), stranger.getPageSource());
        } finally {
            stranger.quit();
        }
    }

    @Test
    void aUserConnectsOneWayFromTheCrmAndComesBackConnected() {
        startConnectingAs("Adele Vance");
        WebElement oneWay = browser.findElement(By.id("mode-one-way"));
        assertEquals("1-way sync", browser.findElement(By.cssSelector("label[for='mode-one-way']")).getText());
        oneWay.click();
        browser.findElement(By.cssSelector("button[type='submit']")).click();

        signInAtMicrosoftAs("adele.vance@contoso.example", "accept");

        wait.until(ExpectedConditions.titleIs("Your mailbox is connected"));
        assertEquals("adele.vance@contoso.example", browser.findElement(By.id("connected-mailbox")).getText());
        assertEquals("1-way sync", browser.findElement(By.id("connected-mode")).getText());
        String bccAddress = browser.findElement(By.id("bcc-address")).getAttribute("value");
        MailboxConnection stored = new MailboxConnections(stack.storage()).find("contoso", "adele.vance").orElseThrow().value();
        assertEquals(stored.bccAddress(), bccAddress);
        assertTrue(browser.findElement(By.id("bcc-how-to")).getText().contains("forward it to this address"));
        WebElement copy = browser.findElement(By.id("copy-bcc"));
        assertTrue(copy.isDisplayed(), "the copy button appears where its script may run");
        copy.click();
        wait.until(ExpectedConditions.textToBe(By.id("bcc-copy-status"), "Address copied."));
        backToCrmFromTheConnectedPage();
        assertEquals("connected", browser.findElement(By.id("outcome")).getText());
        assertEquals("ACTIVE", browser.findElement(By.id("connection-state")).getText());
        assertEquals("ONE_WAY", browser.findElement(By.id("connection-mode")).getText());

        startConnectingAs("Adele Vance");
        assertTrue(browser.findElement(By.id("already-connected")).getText()
                .contains("adele.vance@contoso.example is already connected with 1-way sync"));
        assertTrue(browser.findElement(By.id("mode-one-way")).isSelected(), "the current mode is preselected");
        assertEquals(ConnectionState.ACTIVE, stored.state());
        assertEquals(SyncMode.ONE_WAY, stored.mode());
    }

    @Test
    void cancellingAtMicrosoftBringsTheUserBackToTheCrmWithTheReason() {
        startConnectingAs("Nestor Wilke");
        browser.findElement(By.cssSelector("button[type='submit']")).click();

        signInAtMicrosoftAs("nestor.wilke@contoso.example", "cancel");

        wait.until(ExpectedConditions.titleContains("Your mailbox was not connected"));
        assertTrue(browser.findElement(By.cssSelector("[role='alert']")).getText().contains("The sign-in with Microsoft ended before"));
        browser.findElement(By.linkText("Back to the CRM")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
        assertEquals("access_denied", browser.findElement(By.id("outcome")).getText());
        assertEquals("No mailbox is connected for this user.", browser.findElement(By.id("connection")).getText());
    }

    @Test
    void aUserWhoseOrganizationNeedsApprovalSendsTheLinkToTheAdminAndConnectsOnceApproved() {
        try {
            startConnectingAs("Pradeep Gupta");
            assertTrue(browser.findElement(By.id("admin-approval-hint")).getText().contains("Need admin approval"), "explained up front");
            browser.findElement(By.cssSelector("button[type='submit']")).click();

            wait.until(ExpectedConditions.titleContains("Sign in to your account"));
            browser.findElement(By.xpath("//label[contains(., 'pradeep.gupta@northwind.example')]/input")).click();
            browser.findElement(By.cssSelector("button[value='accept']")).click();
            wait.until(ExpectedConditions.titleContains("Need admin approval"));
            assertTrue(browser.getPageSource().contains("AADSTS90094"));
            browser.findElement(By.cssSelector("button[value='return']")).click();
            wait.until(ExpectedConditions.titleContains("Working"));
            browser.findElement(By.cssSelector("button[type='submit']")).click();

            wait.until(ExpectedConditions.titleContains("Your mailbox was not connected"));
            String adminLink = browser.findElement(By.id("admin-consent-link")).getAttribute("value");
            assertTrue(adminLink.startsWith(stack.sandbox().authority("organizations") + "v2.0/adminconsent?"), adminLink);
            WebElement copy = browser.findElement(By.id("copy-link"));
            assertTrue(copy.isDisplayed(), "the copy button appears where its script may run");
            copy.click();
            wait.until(ExpectedConditions.textToBe(By.id("copy-status"), "Link copied."));

            // The administrator opens the link they were sent.
            browser.get(adminLink);
            wait.until(ExpectedConditions.titleContains("Permissions requested"));
            browser.findElement(By.xpath("//label[contains(., 'patti.fernandez@northwind.example')]/input")).click();
            browser.findElement(By.cssSelector("button[value='accept']")).click();
            wait.until(ExpectedConditions.titleContains("Thank you: the app is approved"));
            assertTrue(browser.findElement(By.tagName("main")).getText().contains("pradeep.gupta@northwind.example can now connect their mailbox"));

            startConnectingAs("Pradeep Gupta");
            browser.findElement(By.cssSelector("button[type='submit']")).click();
            signInAtMicrosoftAs("pradeep.gupta@northwind.example", "accept");
            backToCrmFromTheConnectedPage();
            assertEquals("connected", browser.findElement(By.id("outcome")).getText());
            assertEquals(ConnectionState.ACTIVE, new MailboxConnections(stack.storage()).find("northwind", "pradeep.gupta").orElseThrow().value().state());
        } finally {
            stack.sandbox().identity().revokeAdminConsent(SandboxDirectory.NORTHWIND_TENANT_ID, stack.sandbox().app().clientId());
        }
    }

    @Test
    void aUserWithoutTheRoleSeesExactlyWhy() {
        browser.get(stack.crm().profileUrl().toString());
        browser.findElement(By.cssSelector("button[aria-label='Connect email > Microsoft 365 for Alex Wilber']")).click();

        wait.until(ExpectedConditions.titleContains("You can't connect your email"));
        String alert = browser.findElement(By.cssSelector("[role='alert']")).getText();
        assertEquals("You don't have permission to connect your email to the CRM", alert);
        assertTrue(browser.getPageSource().contains("enable the 'Connect to mailbox' role"));
        assertTrue(browser.findElements(By.tagName("form")).isEmpty());
        browser.findElement(By.linkText("Back to the CRM")).click();
        wait.until(ExpectedConditions.urlContains("/profile/return?account=contoso"));
    }

    @Test
    void theEuStampRefusesTheRestrictedProfile() {
        new CrmAccounts(stack.euStorage()).setProfile("fabrikam", Profile.RESTRICTED, stack.sandbox().clock().instant());
        try {
            browser.get(stack.euConnectUrl("fabrikam", "lynne.robbins", "lynne.robbins@fabrikam.example").toString());

            wait.until(ExpectedConditions.titleContains("This connection type is not available in your region"));
            assertTrue(browser.findElement(By.cssSelector("[role='alert']")).getText().contains("not offered in the EU region"));
            assertTrue(browser.findElements(By.tagName("form")).isEmpty());
        } finally {
            new CrmAccounts(stack.euStorage()).setProfile("fabrikam", Profile.FULL, stack.sandbox().clock().instant());
        }
    }

    @Test
    void aVictimsBrowserCannotFinishASignInSomeoneElseStarted() {
        startConnectingAs("Adele Vance");
        browser.findElement(By.cssSelector("button[type='submit']")).click();
        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        String signInUrl = browser.getCurrentUrl();

        // The victim: another browser with its own cookies, opening the sign-in URL the attacker sent.
        ChromeDriver victim = Browser.start(stack.sandbox().trustedCertificateFile());
        try {
            WebDriverWait victimWait = new WebDriverWait(victim, Duration.ofSeconds(30));
            victim.get(signInUrl);
            signInAtMicrosoftAs(victim, "nestor.wilke@contoso.example", "accept");

            victimWait.until(ExpectedConditions.titleContains("Finish connecting in the browser you started in"));
            assertTrue(victim.findElement(By.cssSelector("[role='alert']")).getText().contains("started in another browser"));
        } finally {
            victim.quit();
        }
        new MailboxConnections(stack.storage()).find("contoso", "adele.vance").ifPresent(attackers -> assertEquals(
                "adele.vance@contoso.example", attackers.value().mailboxAddress(), "the victim's mailbox is not attached to the attacker"));
        assertTrue(stack.crm().eventsFor("contoso", "adele.vance").stream().noneMatch(e -> e.data().toString().contains("nestor.wilke")));
    }

    @Test
    void signingInWithAnotherAccountExplainsAndOffersToSignInAgain() {
        startConnectingAs("Nestor Wilke");
        browser.findElement(By.cssSelector("button[type='submit']")).click();
        signInAtMicrosoftAs("adele.vance@contoso.example", "accept");

        wait.until(ExpectedConditions.titleContains("This is not your CRM user's mailbox"));
        assertEquals("adele.vance@contoso.example", browser.findElement(By.id("signed-in-address")).getText());
        assertEquals("nestor.wilke@contoso.example", browser.findElement(By.id("crm-address")).getText());
        assertTrue(browser.findElement(By.linkText("Back to the CRM")).getAttribute("href").contains("error=mailbox_mismatch"));
        browser.findElement(By.id("sign-in-again")).click();

        signInAtMicrosoftAs("nestor.wilke@contoso.example", "accept");
        backToCrmFromTheConnectedPage();
        assertEquals("connected", browser.findElement(By.id("outcome")).getText());
        assertEquals("nestor.wilke@contoso.example",
                new MailboxConnections(stack.storage()).find("contoso", "nestor.wilke").orElseThrow().value().mailboxAddress());
    }

    @Test
    void aPageOnAnotherSiteCannotStartASignInWithACapturedLink() {
        SandboxUser adele = stack.sandbox().user("adele.vance@contoso.example");
        String link = new Connecting(stack).link("contoso", "adele.vance", adele, List.of("Connect to mailbox"), "US");
        String attackerPage = "<form id=\"f\" method=\"post\" action=\"" + stack.appBaseUrl() + "api/connect/start\">"
                + "<input type=\"hidden\" name=\"request\" value=\"" + link + "\"><input type=\"hidden\" name=\"mode\" value=\"TWO_WAY\">"
                + "</form><script>document.getElementById('f').submit()</script>";

        browser.get("data:text/html;charset=utf-8," + URLEncoder.encode(attackerPage, StandardCharsets.UTF_8).replace("+", "%20"));

        wait.until(ExpectedConditions.titleContains("Start connecting from your CRM"));
        assertTrue(browser.findElement(By.cssSelector("[role='alert']")).getText().contains("came from another website"));
        browser.get(stack.appBaseUrl() + "api/connect?request=" + URLEncoder.encode(link, StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
    }
}

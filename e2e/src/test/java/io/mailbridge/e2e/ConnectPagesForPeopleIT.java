package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mailbridge.e2e.support.Axe;
import io.mailbridge.e2e.support.Browser;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.CrmLinks;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.testkit.ProjectRoot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page a person can meet while connecting a mailbox, ours and the sandbox's stand-ins for
 * Microsoft and the CRM, checked as people use them: axe-core finds nothing, a 375 px wide phone shows
 * each without sideways scrolling, and the whole connect flow works by keyboard alone. The main pages
 * are photographed into docs/screens for the README.
 */
@ExtendWith(StackExtension.class)
class ConnectPagesForPeopleIT {
    private static final int PHONE_WIDTH = 375;
    private static final int PHONE_HEIGHT = 812;
    private static final List<String> MAY_CONNECT = List.of("Sales", "Connect to mailbox");

    private Stack stack;
    private Connecting connecting;
    private ChromeDriver browser;
    private WebDriverWait wait;
    /** Each page case has a CRM account of its own, so a connection made for one never shows on another. */
    private final String account = "people-" + UUID.randomUUID().toString().substring(0, 8);

    /** A page, how a person reaches it, the title it shows, and the screenshot it becomes in docs/screens, if any. */
    record PageCase(String name, String title, Consumer<ConnectPagesForPeopleIT> reach, String screenshot) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PageCase> pages() {
        return Stream.of(
                new PageCase("CRM profile page (stand-in)", "CRM profile", t -> t.browser.get(t.stack.crm().profileUrl().toString()), null),
                new PageCase("mode page", "Connect your Microsoft 365 mailbox", t -> t.openConnectPage(t.adeleLink()), "mode"),
                new PageCase("refusal: no role", "You can't connect your email", ConnectPagesForPeopleIT::noRole, "refusal"),
                new PageCase("refusal: other region", "Your account is hosted in another region", ConnectPagesForPeopleIT::otherRegion, null),
                new PageCase("refusal: expired link", "This link has expired", ConnectPagesForPeopleIT::expiredLink, null),
                new PageCase("refusal: used link", "This link was already used", ConnectPagesForPeopleIT::usedLink, null),
                new PageCase("refusal: unknown mode", "Choose how to sync", ConnectPagesForPeopleIT::unknownMode, null),
                new PageCase("Microsoft sign-in (sandbox)", "Sign in to your account", t -> t.toMicrosoft(t.adeleLink()), "microsoft-sign-in"),
                new PageCase("Microsoft's Need admin approval (sandbox)", "Need admin approval", ConnectPagesForPeopleIT::microsoftNeedsApproval, null),
                new PageCase("Microsoft's hand-back (sandbox)", "Working", t -> t.signInAndStopAtHandBack(t.adeleLink(), "adele.vance", "accept"), null),
                new PageCase("needs admin approval", "Your mailbox was not connected", ConnectPagesForPeopleIT::needsAdminApproval,
                        "needs-admin-approval"),
                new PageCase("no Exchange mailbox", "This mailbox can't be connected", ConnectPagesForPeopleIT::noExchangeMailbox, null),
                new PageCase("cancelled at Microsoft", "Your mailbox was not connected", ConnectPagesForPeopleIT::cancelled, null),
                new PageCase("mailbox taken", "This mailbox is already connected", ConnectPagesForPeopleIT::mailboxTaken, null),
                new PageCase("not the user's own mailbox", "This is not your CRM user's mailbox", ConnectPagesForPeopleIT::notOwnMailbox, null),
                new PageCase("connected", "Your mailbox is connected", ConnectPagesForPeopleIT::connected, "connected"),
                new PageCase("already connected", "Connect your Microsoft 365 mailbox", ConnectPagesForPeopleIT::alreadyConnected, null),
                new PageCase("Microsoft's admin consent (sandbox)", "Permissions requested", ConnectPagesForPeopleIT::adminConsentPage, null),
                new PageCase("admin consent confirmation", "Thank you: the app is approved", t -> t.adminConsent("accept"), null),
                new PageCase("admin consent refused", "The app was not approved", t -> t.adminConsent("cancel"), null));
    }

    @BeforeEach
    void openBrowser(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.browser = Browser.start(stack.sandbox().trustedCertificateFile());
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
        // The admin consent cases approve the app for Northwind; other tests expect it unapproved.
        stack.sandbox().identity().revokeAdminConsent(SandboxDirectory.NORTHWIND_TENANT_ID, stack.sandbox().app().clientId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void eachPageHasNoAxeViolationsAndFitsAPhone(PageCase page) throws Exception {
        page.reach().accept(this);
        wait.until(ExpectedConditions.titleContains(page.title()));

        assertNoAxeViolations(page.name() + " at desktop width");
        asPhone();
        assertNoAxeViolations(page.name() + " at " + PHONE_WIDTH + " px");
        long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        long clientWidth = (Long) browser.executeScript("return document.documentElement.clientWidth");
        assertEquals(PHONE_WIDTH, clientWidth, "the page is laid out for the phone's width");
        assertTrue(scrollWidth <= clientWidth, page.name() + " scrolls sideways on a phone: " + scrollWidth + " px wide");
        if (page.screenshot() != null) {
            screenshot(page.screenshot());
        }
    }

    /** A person who uses no mouse: Tab to each control, Enter or Space to press it, arrows to pick a radio button. */
    @Test
    void aPersonConnectsByKeyboardAloneFromTheCrmToConnected() {
        browser.get(stack.crm().profileUrl().toString());
        tabTo(By.cssSelector("button[aria-label='Connect email > Microsoft 365 for Megan Bowen']"));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
        tabTo(By.id("mode-two-way"));
        new Actions(browser).sendKeys(Keys.ARROW_DOWN).perform();
        assertTrue(browser.findElement(By.id("mode-one-way")).isSelected(), "the arrow key picks 1-way");
        tabTo(By.cssSelector("button[type='submit']"));
        press(Keys.SPACE);

        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        assertTrue(browser.findElement(By.xpath("//label[contains(., 'megan.bowen@contoso.example')]/input")).isSelected(),
                "Microsoft picks the account the app hinted");
        tabTo(By.cssSelector("button[value='accept']"));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.titleContains("Working"));
        tabTo(By.cssSelector("button[type='submit']"));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.titleContains("Your mailbox is connected"));
        assertTrue(browser.findElement(By.id("bcc-address")).getAttribute("value").contains("@"), "1-way shows the BCC address");
        tabTo(By.cssSelector("a[href*='status=connected']"));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
        assertEquals("connected", browser.findElement(By.id("outcome")).getText());
        var stored = new MailboxConnections(stack.storage()).find("contoso", "megan.bowen").orElseThrow().value();
        assertEquals(ConnectionState.ACTIVE, stored.state());
        assertEquals(SyncMode.ONE_WAY, stored.mode());
    }

    // --- How a person reaches each page --------------------------------------------------------------

    private String link(String userId, SandboxUser mailbox, List<String> roles, String region, Instant signedAt) {
        return CrmLinks.connectLink(stack.crmSecret(), account, userId, mailbox.userPrincipalName(), roles, region,
                stack.crm().returnUrl(account, userId).toString(), signedAt);
    }

    private String link(String userId, String email) {
        return link(userId, stack.sandbox().user(email), MAY_CONNECT, "US", stack.sandbox().clock().instant());
    }

    private String adeleLink() {
        return link("adele", "adele.vance@contoso.example");
    }

    private void openConnectPage(String link) {
        browser.get(stack.appBaseUrl() + "api/connect?request=" + URLEncoder.encode(link, StandardCharsets.UTF_8));
    }

    private void noRole() {
        openConnectPage(link("norole", stack.sandbox().user("adele.vance@contoso.example"), List.of("Sales"), "US",
                stack.sandbox().clock().instant()));
    }

    private void otherRegion() {
        openConnectPage(link("eu", stack.sandbox().user("adele.vance@contoso.example"), MAY_CONNECT, "EU", stack.sandbox().clock().instant()));
    }

    private void expiredLink() {
        // Signed ten minutes ago: links work for five.
        openConnectPage(link("late", stack.sandbox().user("adele.vance@contoso.example"), MAY_CONNECT, "US",
                stack.sandbox().clock().instant().minus(Duration.ofMinutes(10))));
    }

    /** Proceed, then the browser's way back to the same link: each link starts one sign-in. */
    private void usedLink() {
        String link = adeleLink();
        toMicrosoft(link);
        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        openConnectPage(link);
    }

    /** A form whose mode the app does not know: no page of ours sends one, but a page changed by an extension or a proxy can. */
    private void unknownMode() {
        openConnectPage(adeleLink());
        wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
        browser.executeScript("document.getElementById('mode-two-way').value = 'THREE_WAY';");
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    /** The mode page, Proceed: Microsoft's sign-in. */
    private void toMicrosoft(String link) {
        openConnectPage(link);
        wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    /** Picks the account at Microsoft and accepts or cancels; stops at the form_post page that hands the answer back. */
    private void signInAndStopAtHandBack(String link, String upnPrefix, String action) {
        toMicrosoft(link);
        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        browser.findElement(By.xpath("//label[contains(., '" + upnPrefix + "@')]/input")).click();
        browser.findElement(By.cssSelector("button[value='" + action + "']")).click();
        wait.until(ExpectedConditions.titleContains("Working"));
    }

    private void signIn(String link, String upnPrefix, String action) {
        signInAndStopAtHandBack(link, upnPrefix, action);
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    private void microsoftNeedsApproval() {
        toMicrosoft(link("pradeep", "pradeep.gupta@northwind.example"));
        wait.until(ExpectedConditions.titleContains("Sign in to your account"));
        browser.findElement(By.cssSelector("button[value='accept']")).click();
    }

    /** Northwind lets only admins consent: Microsoft says so, the person returns without consent, and we explain. */
    private void needsAdminApproval() {
        microsoftNeedsApproval();
        wait.until(ExpectedConditions.titleContains("Need admin approval"));
        browser.findElement(By.cssSelector("button[value='return']")).click();
        wait.until(ExpectedConditions.titleContains("Working"));
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    private void noExchangeMailbox() {
        signIn(link("isaiah", "isaiah.langer@contoso.example"), "isaiah.langer", "accept");
    }

    private void cancelled() {
        signIn(adeleLink(), "adele.vance", "cancel");
    }

    /** Another user of the same CRM account connected this mailbox first. */
    private void mailboxTaken() {
        SandboxUser adele = stack.sandbox().user("adele.vance@contoso.example");
        assertEquals(200, connecting.connect(link("first", "adele.vance@contoso.example"), "TWO_WAY", adele, "accept").statusCode());
        signIn(link("second", "adele.vance@contoso.example"), "adele.vance", "accept");
    }

    private void notOwnMailbox() {
        signIn(link("nestor", "nestor.wilke@contoso.example"), "adele.vance", "accept");
    }

    private void connected() {
        signIn(adeleLink(), "adele.vance", "accept");
    }

    private void alreadyConnected() {
        SandboxUser adele = stack.sandbox().user("adele.vance@contoso.example");
        assertEquals(200, connecting.connect(adeleLink(), "TWO_WAY", adele, "accept").statusCode());
        openConnectPage(adeleLink());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("already-connected")));
    }

    /** The administrator opens the link the person was given. */
    private void adminConsentPage() {
        needsAdminApproval();
        wait.until(ExpectedConditions.titleContains("Your mailbox was not connected"));
        browser.get(browser.findElement(By.id("admin-consent-link")).getAttribute("value"));
    }

    private void adminConsent(String action) {
        adminConsentPage();
        wait.until(ExpectedConditions.titleContains("Permissions requested"));
        browser.findElement(By.xpath("//label[contains(., 'patti.fernandez@northwind.example')]/input")).click();
        browser.findElement(By.cssSelector("button[value='" + action + "']")).click();
    }

    // --- Checks ------------------------------------------------------------------------------------

    private void assertNoAxeViolations(String where) {
        List<Axe.Violation> violations = Axe.violations(browser);
        if (!violations.isEmpty()) {
            fail("axe-core finds " + violations.size() + " violation(s) on " + where + ":\n"
                    + violations.stream().map(Axe.Violation::toString).collect(Collectors.joining("\n")));
        }
    }

    /** Chromium lays the page out as a phone of that width does (the page's viewport meta applies). */
    private void asPhone() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", PHONE_WIDTH, "height", PHONE_HEIGHT, "deviceScaleFactor", 1, "mobile", true));
    }

    /** The whole page at phone width, into docs/screens: the README shows these. */
    private void screenshot(String name) throws Exception {
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", PHONE_WIDTH, "height", Math.max(height, 400), "deviceScaleFactor", 1, "mobile", true));
        Path screens = Files.createDirectories(ProjectRoot.resolve("docs/screens"));
        Files.write(screens.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Presses Tab until the element has focus (failing if it never gets it), and checks that the focus can be seen. */
    private WebElement tabTo(By locator) {
        WebElement target = browser.findElement(locator);
        for (int presses = 0; presses < 40; presses++) {
            if (browser.switchTo().activeElement().equals(target)) {
                String outline = (String) browser.executeScript(
                        "var s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;", target);
                assertTrue(!outline.startsWith("none") && !outline.endsWith(" 0px"), "focus on " + locator + " is visible: " + outline);
                return target;
            }
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reaches " + locator + " on " + browser.getTitle());
    }

    private void press(Keys key) {
        new Actions(browser).sendKeys(key).perform();
    }
}

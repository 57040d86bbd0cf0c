package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.accounts.CrmAccounts;
import io.mailbridge.e2e.support.Browser;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.UniqueNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The US and EU stamps side by side: each region's accounts live in their own stamp's storage and follow its rules. */
@ExtendWith(StackExtension.class)
class StampsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> MAY_CONNECT = List.of("Sales", "Connect to mailbox");

    private Stack stack;
    private SandboxUser diego;

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.diego = stack.sandbox().user("diego.siciliani@fabrikam.example");
    }

    @Test
    void anEuAccountsConnectionAndMailLiveOnlyInTheEuStampsStorage() {
        String account = UniqueNames.next("eu");
        String prospect = "buyer." + account + "@prospects.example";
        MailboxApi euApi = new MailboxApi(stack, stack.euBaseUrl());
        assertEquals(200, euApi.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}").statusCode());
        Connecting eu = new Connecting(stack, stack.euBaseUrl());

        HttpResponse<String> back = eu.connect(eu.link(account, "u1", diego, MAY_CONNECT, "EU"), "TWO_WAY", diego, "accept");
        assertEquals(200, back.statusCode(), back.body());
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(diego.userPrincipalName()), "eu deal " + account,
                "Hello from " + prospect));
        stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.data().path("subject").asText().equals("eu deal " + account),
                PATIENCE);

        MailboxConnection connection = new MailboxConnections(stack.euStorage()).find(account, "u1").orElseThrow().value();
        assertEquals(ConnectionState.ACTIVE, connection.state());
        assertEquals(2, new Subscriptions(stack.euStorage()).of(account, "u1").size());
        List<String> inEu = tablesMentioning(stack.euStorage(), account);
        assertTrue(inEu.containsAll(List.of(StorageNames.CONNECTIONS_TABLE, StorageNames.SUBSCRIPTIONS_TABLE,
                StorageNames.TOKEN_CACHES_TABLE, StorageNames.PROSPECTS_TABLE)), inEu.toString());
        assertEquals(List.of(), tablesMentioning(stack.storage(), account), "the US stamp's storage knows nothing of the EU account");
        assertEquals(404, new MailboxApi(stack).call("GET", "/api/accounts/" + account + "/mailboxes/u1", "").statusCode());
        assertEquals("EU", euApi.status(account, "u1").get("region").asText());
    }

    @Test
    void theRestrictedProfileIsRefusedInTheEuStampAndWorksInTheUsOne() {
        String euAccount = UniqueNames.next("eur");
        assertFalse(new MailboxApi(stack, stack.euBaseUrl()).setProfile(euAccount, "RESTRICTED").statusCode() == 200,
                "the EU stamp does not let an account be set to RESTRICTED");
        // An account set RESTRICTED in the EU stamp's storage all the same (say, by an old release) still cannot connect.
        new CrmAccounts(stack.euStorage()).setProfile(euAccount, Profile.RESTRICTED, stack.sandbox().clock().instant());
        Connecting eu = new Connecting(stack, stack.euBaseUrl());
        HttpResponse<String> refused = eu.openConnectPage(eu.link(euAccount, "u1", diego, MAY_CONNECT, "EU"));
        assertEquals(403, refused.statusCode());
        assertFalse(refused.body().contains("<form"), "nothing to submit");
        assertTrue(new MailboxConnections(stack.euStorage()).find(euAccount, "u1").isEmpty());

        String usAccount = UniqueNames.next("usr");
        assertEquals(200, new MailboxApi(stack).setProfile(usAccount, "RESTRICTED").statusCode());
        Connecting us = new Connecting(stack);
        SandboxUser adele = stack.sandbox().user("adele.vance@contoso.example");
        assertEquals(200, us.connect(us.link(usAccount, "u1", adele, MAY_CONNECT, "US"), "ONE_WAY", adele, "accept").statusCode());
        assertEquals(Profile.RESTRICTED, new MailboxConnections(stack.storage()).find(usAccount, "u1").orElseThrow().value().profile());
    }

    @Test
    void anEuUserConnectsTwoWayInTheBrowserThroughTheEuStampAndTheirMailReachesTheCrm() {
        ChromeDriver browser = Browser.start(stack.sandbox().trustedCertificateFile());
        try {
            WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
            browser.get(stack.crm().profileUrl().toString());
            browser.findElement(By.cssSelector("button[aria-label='Connect email > Microsoft 365 for Diego Siciliani']")).click();
            wait.until(ExpectedConditions.titleContains("Connect your Microsoft 365 mailbox"));
            assertTrue(browser.getCurrentUrl().startsWith(stack.euBaseUrl().toString()), "the CRM sent the EU user to the EU stamp");
            browser.findElement(By.cssSelector("input[value='TWO_WAY']")).click();
            browser.findElement(By.cssSelector("button[type='submit']")).click();
            BrowserConnectIT.signInAtMicrosoftAs(browser, diego.userPrincipalName(), "accept");
            wait.until(ExpectedConditions.titleContains("Your mailbox is connected"));
            assertTrue(browser.getCurrentUrl().startsWith(stack.euBaseUrl().toString()), "the EU stamp finished the sign-in");
            browser.findElement(By.cssSelector("a[href*='status=connected']")).click();
            wait.until(ExpectedConditions.urlContains(stack.crm().returnUrl("fabrikam", "diego.siciliani").toString()));
            // The CRM's return page reads the status from the stamp that holds the connection.
            assertEquals("EU", browser.findElement(By.id("connection-region")).getText());
            assertEquals("TWO_WAY", browser.findElement(By.id("connection-mode")).getText());
        } finally {
            browser.quit();
        }

        MailboxConnection connection = new MailboxConnections(stack.euStorage()).find("fabrikam", "diego.siciliani").orElseThrow().value();
        assertEquals(SyncMode.TWO_WAY, connection.mode());
        String prospect = "buyer." + UniqueNames.next("p") + "@prospects.example";
        assertEquals(200, new MailboxApi(stack, stack.euBaseUrl()).call("POST", "/api/accounts/fabrikam/prospects",
                "{\"upsert\":[\"" + prospect + "\"]}").statusCode());
        String subject = "browser eu " + prospect;
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(diego.userPrincipalName()), subject, "Hello"));
        stack.crm().awaitEvent(e -> e.accountId().equals("fabrikam") && e.userId().equals("diego.siciliani")
                && e.data().path("subject").asText().equals(subject), PATIENCE);
    }

    /** The tables of this storage account with an entity whose keys or text mention {@code text}. */
    private static List<String> tablesMentioning(StorageClients storage, String text) {
        return StorageNames.TABLES.stream()
                .filter(table -> storage.tables().getTableClient(table).listEntities().stream().anyMatch(e -> mentions(e, text)))
                .toList();
    }

    private static boolean mentions(TableEntity entity, String text) {
        return entity.getPartitionKey().contains(text) || entity.getRowKey().contains(text)
                || entity.getProperties().values().stream().filter(Objects::nonNull).anyMatch(v -> v.toString().contains(text));
    }
}

package io.mailbridge;

import static java.util.Map.entry;

import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.mailbridge.backup.TableExport;
import io.mailbridge.backup.TableExportFunction;
import io.mailbridge.config.Settings;
import io.mailbridge.connect.AdminConsent;
import io.mailbridge.connect.AdminConsentFunction;
import io.mailbridge.connect.AdminConsentRequests;
import io.mailbridge.connect.BrowserBinding;
import io.mailbridge.connect.ConnectCallbackFunction;
import io.mailbridge.connect.ConnectGate;
import io.mailbridge.connect.ConnectLinks;
import io.mailbridge.connect.ConnectPageFunction;
import io.mailbridge.connect.ConnectPages;
import io.mailbridge.connect.ConnectService;
import io.mailbridge.connect.ConnectStartFunction;
import io.mailbridge.connect.ReturnUrls;
import io.mailbridge.connect.SignInStates;
import io.mailbridge.contracts.Contracts;
import io.mailbridge.contracts.OpenApiFunction;
import io.mailbridge.contracts.SchemaFunction;
import io.mailbridge.accounts.AccountProfileFunction;
import io.mailbridge.accounts.AccountProfiles;
import io.mailbridge.accounts.CrmAccounts;
import io.mailbridge.crm.CrmApi;
import io.mailbridge.crm.CrmEventDeliveryFunction;
import io.mailbridge.crm.CrmEventSender;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.crm.CrmRequestSignature;
import io.mailbridge.crm.DeadLetterReplayFunction;
import io.mailbridge.crm.DeadLetters;
import io.mailbridge.crm.DeadLettersFunction;
import io.mailbridge.crm.Hmac;
import io.mailbridge.accounts.OtherMailboxesFunction;
import io.mailbridge.crm.ProspectUpdates;
import io.mailbridge.crm.Prospects;
import io.mailbridge.crm.ProspectsFunction;
import io.mailbridge.graph.GraphClients;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.MailboxTokens;
import io.mailbridge.graph.MicrosoftHttp;
import io.mailbridge.graph.MicrosoftIdentity;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.graph.TokenCaches;
import io.mailbridge.graph.TokenCipher;
import io.mailbridge.graph.TrustMaterial;
import io.mailbridge.health.HealthCheck;
import io.mailbridge.health.HealthFunction;
import io.mailbridge.housekeeping.Housekeeping;
import io.mailbridge.housekeeping.HousekeepingFunction;
import io.mailbridge.bcc.BccIngest;
import io.mailbridge.bcc.BccIngestFunction;
import io.mailbridge.bcc.BccMailParser;
import io.mailbridge.inbound.Deliveries;
import io.mailbridge.inbound.FolderSync;
import io.mailbridge.webhook.GraphLifecycleFunction;
import io.mailbridge.webhook.GraphWebhookFunction;
import io.mailbridge.inbound.InboundSweepFunction;
import io.mailbridge.inbound.InboundSync;
import io.mailbridge.inbound.MailChangesFunction;
import io.mailbridge.inbound.MailDelivery;
import io.mailbridge.webhook.NotificationIntake;
import io.mailbridge.subscriptions.SubscriptionEventsFunction;
import io.mailbridge.subscriptions.SubscriptionRenewalFunction;
import io.mailbridge.subscriptions.SubscriptionRenewalJobFunction;
import io.mailbridge.subscriptions.SubscriptionUpkeep;
import io.mailbridge.inbound.SyncStates;
import io.mailbridge.mailbox.AuditLog;
import io.mailbridge.mailbox.BccAddresses;
import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailboxapi.MailboxDisconnectFunction;
import io.mailbridge.mailboxapi.MailboxModeFunction;
import io.mailbridge.mailboxapi.MailboxService;
import io.mailbridge.mailboxapi.MailboxStatusFunction;
import io.mailbridge.ops.OpsGauges;
import io.mailbridge.ops.OpsGaugesFunction;
import io.mailbridge.ops.OpsStatusFunction;
import io.mailbridge.ops.OpsStatusPage;
import io.mailbridge.ops.OpsStatusPageFunction;
import io.mailbridge.ops.OpsStatusReader;
import io.mailbridge.storage.TimerRuns;
import io.mailbridge.outbound.GraphSender;
import io.mailbridge.outbound.MailboxQuotas;
import io.mailbridge.outbound.OutboundMailFunction;
import io.mailbridge.outbound.OutboundSender;
import io.mailbridge.outbound.Outbox;
import io.mailbridge.outbound.SendRequestFunction;
import io.mailbridge.outbound.SendRequests;
import io.mailbridge.outbound.SendStatusFunction;
import io.mailbridge.outbound.SendingStatusFunction;
import io.mailbridge.outbound.SmtpSender;
import io.mailbridge.sentsync.Reconciliations;
import io.mailbridge.sentsync.SentItemsWriteBack;
import io.mailbridge.sentsync.SentReconciliation;
import io.mailbridge.sentsync.SentReconciliationFunction;
import io.mailbridge.sentsync.SentReconciliationTimerFunction;
import io.mailbridge.storage.FirstUses;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.telemetry.Metrics;
import io.mailbridge.telemetry.Telemetry;
import io.mailbridge.telemetry.TelemetryMiddleware;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The composition root: builds every service once, by hand, and hands the functions host an
 * instance of each function class with the services it calls. Nothing here talks to the network, and
 * the SDK clients behind the services (storage, Graph, MSAL's HTTP, TLS, mail, the contracts) are
 * built on first use ({@link Lazy}), so a cold start loads only what its first request needs.
 */
public final class App implements FunctionInstanceInjector {
    private final Map<Class<?>, Supplier<?>> functions;
    private final Middleware middleware;
    private final Shared shared;

    /**
     * What every flow shares: storage, the CRM's accounts and events, Microsoft's identity and Graph, the mailbox
     * connections and their tokens. Tests reach the app's services through {@link #shared()} rather than wiring their own.
     */
    public record Shared(StorageClients storage, QueueProducer queues, Payloads payloads, Hmac crmHmac, CrmAccounts crmAccounts,
            DeadLetters deadLetters, CrmEvents events, MailboxConnections connections, ConnectionLifecycle lifecycle,
            MicrosoftIdentity identity, GraphClients graphClients, MailboxTokens tokens, MailboxGraph mailboxGraph) {

        static Shared build(Settings settings, Clock clock, Telemetry telemetry) {
            StorageClients storage = StorageClients.connect(settings.storage());
            QueueProducer queues = new QueueProducer(storage);
            Payloads payloads = new Payloads(storage);
            TrustMaterial trust = TrustMaterial.of(settings.microsoft().extraCaCertificates());
            Hmac crmHmac = new Hmac(settings.crm().signingSecret());
            DeadLetters deadLetters = new DeadLetters(storage);
            CrmEvents events = new CrmEvents(queues, payloads, new CrmEventSender(settings.crm().eventsUrl(), crmHmac, clock),
                    deadLetters, telemetry.metrics(), clock);
            MailboxConnections connections = new MailboxConnections(storage);
            ConnectionLifecycle lifecycle = new ConnectionLifecycle(connections, events, telemetry.metrics());
            MicrosoftHttp microsoftHttp = new MicrosoftHttp(trust);
            MicrosoftIdentity identity = new MicrosoftIdentity(settings.microsoft(), microsoftHttp);
            GraphClients graphClients = new GraphClients(settings.microsoft().graphBaseUrl(), microsoftHttp, telemetry, clock);
            MailboxTokens tokens = new MailboxTokens(new TokenCaches(storage), new TokenCipher(settings.tokenKeys()), identity,
                    lifecycle, clock);
            return new Shared(storage, queues, payloads, crmHmac, new CrmAccounts(storage), deadLetters, events, connections,
                    lifecycle, identity, graphClients, tokens, new MailboxGraph(tokens, graphClients));
        }
    }

    public App(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With the global OpenTelemetry: in Azure, the Application Insights Java agent's; without one, a no-op. */
    public App(Settings settings, Clock clock) {
        this(settings, clock, GlobalOpenTelemetry.get());
    }

    public App(Settings settings, Clock clock, OpenTelemetry openTelemetry) {
        Telemetry telemetry = Telemetry.of(openTelemetry);
        Metrics metrics = telemetry.metrics();
        middleware = new TelemetryMiddleware(telemetry.tracer());
        shared = Shared.build(settings, clock, telemetry);
        StorageClients storage = shared.storage();
        QueueProducer queues = shared.queues();
        Payloads payloads = shared.payloads();
        CrmAccounts crmAccounts = shared.crmAccounts();
        DeadLetters deadLetters = shared.deadLetters();
        CrmEvents events = shared.events();
        MailboxConnections connections = shared.connections();
        ConnectionLifecycle lifecycle = shared.lifecycle();
        MailboxTokens tokens = shared.tokens();
        MailboxGraph mailboxGraph = shared.mailboxGraph();

        // Inbound: Graph's notifications and the sweep become delta syncs; each new mail reaches the CRM once.
        Subscriptions subscriptions = new Subscriptions(storage);
        GraphSubscriptions graphSubscriptions = new GraphSubscriptions(subscriptions, settings.stamp().publicBaseUrl(), clock);
        Prospects prospects = new Prospects(storage);
        MailDelivery mailDelivery = new MailDelivery(prospects, new Deliveries(storage), events, clock);
        SyncStates syncStates = new SyncStates(storage);
        FolderSync folderSync = new FolderSync(syncStates, mailboxGraph, prospects, mailDelivery, lifecycle, clock);
        InboundSync inboundSync = new InboundSync(connections, folderSync, queues, metrics, clock);
        SubscriptionUpkeep upkeep = new SubscriptionUpkeep(subscriptions, graphSubscriptions, connections, mailboxGraph,
                inboundSync, queues, clock);
        BccAddresses bccAddresses = new BccAddresses(storage, settings.stamp().bccDomain());
        BccIngest bccIngest = new BccIngest(settings.bcc(), bccAddresses, connections, new BccMailParser(), mailDelivery, metrics, clock);
        NotificationIntake intake = new NotificationIntake(subscriptions, queues, clock);

        // Connecting: the connect page, sign-in with Microsoft, admin consent.
        SignInStates signInStates = new SignInStates(storage);
        AdminConsent adminConsent = new AdminConsent(new AdminConsentRequests(storage), settings.microsoft(), settings.stamp(), clock);
        ConnectService connect = new ConnectService(
                new ConnectGate(new ConnectLinks(settings.crm().signingSecret(), clock), new ReturnUrls(settings.crm().origins()),
                        crmAccounts, settings.stamp()),
                new BrowserBinding(settings.stamp().publicBaseUrl(), ConnectService.SIGN_IN_LIFETIME),
                new FirstUses(storage, StorageNames.USED_LINKS_TABLE), crmAccounts,
                signInStates, shared.identity(), shared.graphClients(), tokens, connections,
                bccAddresses, graphSubscriptions, inboundSync, settings.stamp(), adminConsent, clock);
        ConnectPages pages = new ConnectPages(settings.brand());

        // The CRM's API on mailboxes, prospects and accounts, and the contracts it publishes.
        Lazy<Contracts> contracts = Lazy.of(Contracts::load);
        HealthCheck health = new HealthCheck(storage, settings.stamp().region());
        AuditLog audit = new AuditLog(storage);
        CrmApi crmApi = new CrmApi(new CrmRequestSignature(shared.crmHmac(), clock),
                new FirstUses(storage, StorageNames.USED_SIGNATURES_TABLE));
        Reconciliations reconciliations = new Reconciliations(storage);
        MailboxService mailboxes = new MailboxService(connections, lifecycle, subscriptions, graphSubscriptions, tokens, mailboxGraph,
                audit, syncStates, reconciliations, clock);
        ProspectUpdates prospectUpdates = new ProspectUpdates(prospects);
        AccountProfiles profiles = new AccountProfiles(crmAccounts, audit, settings.stamp().restrictedProfileAllowed(), clock);

        // Outbound and Sent Items: the CRM's sends through the mailbox or the relay, and their copies in Sent Items.
        Outbox outbox = new Outbox(storage);
        MailboxQuotas quotas = new MailboxQuotas(storage, settings.sendingLimits());
        SendRequests sendRequests = new SendRequests(connections, outbox, quotas, tokens, payloads, queues, settings.sendingLimits(), clock);
        GraphSender graphSender = new GraphSender(mailboxGraph);
        OutboundSender outboundSender = new OutboundSender(outbox, quotas, connections, payloads, graphSender,
                new SmtpSender(settings.smtp(), clock), events, queues, settings.sendingLimits(), metrics, clock);
        SentItemsWriteBack writeBack = new SentItemsWriteBack(outbox, payloads, graphSender, clock);
        SentReconciliation sentReconciliation = new SentReconciliation(connections, reconciliations, writeBack, folderSync, queues, clock);
        Housekeeping housekeeping = new Housekeeping(signInStates, new FirstUses(storage, StorageNames.USED_LINKS_TABLE),
                new FirstUses(storage, StorageNames.USED_SIGNATURES_TABLE), connections, writeBack, clock);

        // Operations: timer runs, the status view and its gauges, the daily table export.
        TimerRuns timerRuns = new TimerRuns(storage, clock);
        OpsStatusReader opsStatus = new OpsStatusReader(storage, connections, subscriptions, deadLetters, timerRuns,
                settings.stamp().region(), clock);
        // The app's OpenTelemetry: in Azure the Application Insights agent's, locally the devhost's SDK.
        Meter meter = openTelemetry.getMeter(Telemetry.SCOPE);
        OpsGauges opsGauges = new OpsGauges(opsStatus::read, meter, clock);
        TableExport tableExport = new TableExport(storage, StorageNames.TABLE_EXPORTS_CONTAINER,
                List.of(StorageNames.CONNECTIONS_TABLE, StorageNames.TOKEN_CACHES_TABLE), clock);

        functions = Map.ofEntries(
                entry(HealthFunction.class, () -> new HealthFunction(health)),
                entry(ConnectPageFunction.class, () -> new ConnectPageFunction(connect, pages)),
                entry(ConnectStartFunction.class, () -> new ConnectStartFunction(connect, pages)),
                entry(ConnectCallbackFunction.class, () -> new ConnectCallbackFunction(connect, pages)),
                entry(AdminConsentFunction.class, () -> new AdminConsentFunction(adminConsent, pages)),
                entry(GraphWebhookFunction.class, () -> new GraphWebhookFunction(intake, metrics)),
                entry(GraphLifecycleFunction.class, () -> new GraphLifecycleFunction(intake)),
                entry(BccIngestFunction.class, () -> new BccIngestFunction(bccIngest)),
                entry(CrmEventDeliveryFunction.class, () -> new CrmEventDeliveryFunction(events)),
                entry(DeadLettersFunction.class, () -> new DeadLettersFunction(deadLetters)),
                entry(DeadLetterReplayFunction.class, () -> new DeadLetterReplayFunction(events)),
                entry(MailChangesFunction.class, () -> new MailChangesFunction(inboundSync)),
                entry(InboundSweepFunction.class, () -> new InboundSweepFunction(inboundSync, timerRuns)),
                entry(SubscriptionEventsFunction.class, () -> new SubscriptionEventsFunction(upkeep)),
                entry(SubscriptionRenewalFunction.class, () -> new SubscriptionRenewalFunction(upkeep, timerRuns)),
                entry(SubscriptionRenewalJobFunction.class, () -> new SubscriptionRenewalJobFunction(upkeep)),
                entry(MailboxStatusFunction.class, () -> new MailboxStatusFunction(crmApi, mailboxes)),
                entry(MailboxModeFunction.class, () -> new MailboxModeFunction(crmApi, mailboxes)),
                entry(MailboxDisconnectFunction.class, () -> new MailboxDisconnectFunction(crmApi, mailboxes)),
                entry(ProspectsFunction.class, () -> new ProspectsFunction(crmApi, prospectUpdates)),
                entry(AccountProfileFunction.class, () -> new AccountProfileFunction(profiles)),
                entry(OtherMailboxesFunction.class, () -> new OtherMailboxesFunction(profiles)),
                entry(SendRequestFunction.class, () -> new SendRequestFunction(crmApi, sendRequests)),
                entry(SendStatusFunction.class, () -> new SendStatusFunction(crmApi, sendRequests)),
                entry(SendingStatusFunction.class, () -> new SendingStatusFunction(crmApi, sendRequests)),
                entry(OutboundMailFunction.class, () -> new OutboundMailFunction(outboundSender)),
                entry(SentReconciliationTimerFunction.class, () -> new SentReconciliationTimerFunction(sentReconciliation, timerRuns)),
                entry(SentReconciliationFunction.class, () -> new SentReconciliationFunction(sentReconciliation)),
                entry(HousekeepingFunction.class, () -> new HousekeepingFunction(housekeeping, timerRuns)),
                entry(TableExportFunction.class, () -> new TableExportFunction(tableExport, timerRuns)),
                entry(OpsStatusFunction.class, () -> new OpsStatusFunction(opsStatus)),
                entry(OpsStatusPageFunction.class, () -> new OpsStatusPageFunction(opsStatus, new OpsStatusPage(settings.brand()))),
                entry(OpsGaugesFunction.class, () -> new OpsGaugesFunction(opsGauges, timerRuns)),
                entry(OpenApiFunction.class, () -> new OpenApiFunction(contracts.get())),
                entry(SchemaFunction.class, () -> new SchemaFunction(contracts.get())));
    }

    public static App fromEnvironment() {
        return new App(Settings.fromEnvironment());
    }

    /** What wraps every invocation (the worker finds it through {@link AppMiddleware}): its span and its log lines. */
    public Middleware middleware() {
        return middleware;
    }

    /** The services every flow shares, as this app built them. */
    public Shared shared() {
        return shared;
    }

    /** The function classes this app wires; the build checks it against the generated function.json files. */
    public Set<Class<?>> functionClasses() {
        return functions.keySet();
    }

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        Supplier<?> factory = functions.get(functionClass);
        if (factory == null) {
            throw new IllegalArgumentException("Function class " + functionClass.getName() + " is not wired in " + App.class.getName());
        }
        return functionClass.cast(factory.get());
    }
}

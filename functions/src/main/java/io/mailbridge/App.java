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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The composition root: wires every service by hand and hands the functions host an instance of each function
 * class with the services it calls. Each service is built on the first use of a function that needs it
 * ({@link Lazy}), and the SDK clients behind them on their first request, so a cold instance loads only what its
 * first invocation needs: the webhook's answer to Graph does not wait for the connect flow, the relay or the
 * Graph SDK. Nothing here talks to the network.
 */
public final class App implements FunctionInstanceInjector {
    private final Map<Class<?>, Supplier<?>> functions;
    private final Middleware middleware;
    private final Lazy<Shared> shared;

    /**
     * What every flow shares: storage, the CRM's accounts and events, Microsoft's identity and Graph, the mailbox
     * connections and their tokens. Tests reach the app's services through {@link #shared()} rather than wiring their own.
     */
    public record Shared(StorageClients storage, QueueProducer queues, Payloads payloads, Hmac crmHmac, CrmAccounts crmAccounts,
            DeadLetters deadLetters, CrmEvents events, MailboxConnections connections, ConnectionLifecycle lifecycle,
            MicrosoftIdentity identity, GraphClients graphClients, MailboxTokens tokens, MailboxGraph mailboxGraph) {

        static Shared build(Settings settings, StorageClients storage, QueueProducer queues, Clock clock, Telemetry telemetry) {
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
        // Storage and the queues are all the webhook needs besides its subscriptions: built here, they load no SDK class yet.
        StorageClients storage = StorageClients.connect(settings.storage());
        QueueProducer queues = new QueueProducer(storage);
        Lazy<Shared> shared = Lazy.of(() -> Shared.build(settings, storage, queues, clock, telemetry));
        this.shared = shared;

        // Inbound: Graph's notifications and the sweep become delta syncs; each new mail reaches the CRM once.
        Lazy<Subscriptions> subscriptions = Lazy.of(() -> new Subscriptions(storage));
        Lazy<NotificationIntake> intake = Lazy.of(() -> new NotificationIntake(subscriptions.get(), queues, clock));
        Lazy<GraphSubscriptions> graphSubscriptions = Lazy.of(
                () -> new GraphSubscriptions(subscriptions.get(), settings.stamp().publicBaseUrl(), clock));
        Lazy<Prospects> prospects = Lazy.of(() -> new Prospects(storage));
        Lazy<MailDelivery> mailDelivery = Lazy.of(() -> new MailDelivery(prospects.get(), new Deliveries(storage), shared.get().events(),
                clock));
        Lazy<SyncStates> syncStates = Lazy.of(() -> new SyncStates(storage));
        Lazy<FolderSync> folderSync = Lazy.of(() -> new FolderSync(syncStates.get(), shared.get().mailboxGraph(), prospects.get(),
                mailDelivery.get(), shared.get().lifecycle(), clock));
        Lazy<InboundSync> inboundSync = Lazy.of(() -> new InboundSync(shared.get().connections(), folderSync.get(), queues, metrics,
                clock));
        Lazy<SubscriptionUpkeep> upkeep = Lazy.of(() -> new SubscriptionUpkeep(subscriptions.get(), graphSubscriptions.get(),
                shared.get().connections(), shared.get().mailboxGraph(), inboundSync.get(), queues, clock));
        Lazy<BccAddresses> bccAddresses = Lazy.of(() -> new BccAddresses(storage, settings.stamp().bccDomain()));
        Lazy<BccIngest> bccIngest = Lazy.of(() -> new BccIngest(settings.bcc(), bccAddresses.get(), shared.get().connections(),
                new BccMailParser(), mailDelivery.get(), metrics, clock));

        // Connecting: the connect page, sign-in with Microsoft, admin consent.
        Lazy<SignInStates> signInStates = Lazy.of(() -> new SignInStates(storage));
        Lazy<AdminConsent> adminConsent = Lazy.of(() -> new AdminConsent(new AdminConsentRequests(storage), settings.microsoft(),
                settings.stamp(), clock));
        Lazy<ConnectService> connect = Lazy.of(() -> {
            Shared services = shared.get();
            return new ConnectService(
                    new ConnectGate(new ConnectLinks(settings.crm().signingSecret(), clock), new ReturnUrls(settings.crm().origins()),
                            services.crmAccounts(), settings.stamp()),
                    new BrowserBinding(settings.stamp().publicBaseUrl(), ConnectService.SIGN_IN_LIFETIME),
                    new FirstUses(storage, StorageNames.USED_LINKS_TABLE), services.crmAccounts(),
                    signInStates.get(), services.identity(), services.graphClients(), services.tokens(), services.connections(),
                    bccAddresses.get(), graphSubscriptions.get(), inboundSync.get(), settings.stamp(), adminConsent.get(), clock);
        });
        Lazy<ConnectPages> pages = Lazy.of(() -> new ConnectPages(settings.brand()));

        // The CRM's API on mailboxes, prospects and accounts, and the contracts it publishes.
        Lazy<Contracts> contracts = Lazy.of(Contracts::load);
        Lazy<HealthCheck> health = Lazy.of(() -> new HealthCheck(storage, settings.stamp().region()));
        Lazy<AuditLog> audit = Lazy.of(() -> new AuditLog(storage));
        Lazy<CrmApi> crmApi = Lazy.of(() -> new CrmApi(new CrmRequestSignature(shared.get().crmHmac(), clock),
                new FirstUses(storage, StorageNames.USED_SIGNATURES_TABLE)));
        Lazy<Reconciliations> reconciliations = Lazy.of(() -> new Reconciliations(storage));
        Lazy<MailboxService> mailboxes = Lazy.of(() -> {
            Shared services = shared.get();
            return new MailboxService(services.connections(), services.lifecycle(), subscriptions.get(), graphSubscriptions.get(),
                    services.tokens(), services.mailboxGraph(), audit.get(), syncStates.get(), reconciliations.get(), clock);
        });
        Lazy<ProspectUpdates> prospectUpdates = Lazy.of(() -> new ProspectUpdates(prospects.get()));
        Lazy<AccountProfiles> profiles = Lazy.of(() -> new AccountProfiles(shared.get().crmAccounts(), audit.get(),
                settings.stamp().restrictedProfileAllowed(), clock));

        // Outbound and Sent Items: the CRM's sends through the mailbox or the relay, and their copies in Sent Items.
        Lazy<Outbox> outbox = Lazy.of(() -> new Outbox(storage));
        Lazy<MailboxQuotas> quotas = Lazy.of(() -> new MailboxQuotas(storage, settings.sendingLimits()));
        Lazy<SendRequests> sendRequests = Lazy.of(() -> {
            Shared services = shared.get();
            return new SendRequests(services.connections(), outbox.get(), quotas.get(), services.tokens(), services.payloads(), queues,
                    settings.sendingLimits(), clock);
        });
        Lazy<GraphSender> graphSender = Lazy.of(() -> new GraphSender(shared.get().mailboxGraph()));
        Lazy<OutboundSender> outboundSender = Lazy.of(() -> {
            Shared services = shared.get();
            return new OutboundSender(outbox.get(), quotas.get(), services.connections(), services.payloads(), graphSender.get(),
                    new SmtpSender(settings.smtp(), clock), services.events(), queues, settings.sendingLimits(), metrics, clock);
        });
        Lazy<SentItemsWriteBack> writeBack = Lazy.of(() -> new SentItemsWriteBack(outbox.get(), shared.get().payloads(),
                graphSender.get(), clock));
        Lazy<SentReconciliation> sentReconciliation = Lazy.of(() -> new SentReconciliation(shared.get().connections(),
                reconciliations.get(), writeBack.get(), folderSync.get(), queues, clock));
        Lazy<Housekeeping> housekeeping = Lazy.of(() -> new Housekeeping(signInStates.get(),
                new FirstUses(storage, StorageNames.USED_LINKS_TABLE), new FirstUses(storage, StorageNames.USED_SIGNATURES_TABLE),
                shared.get().connections(), writeBack.get(), clock));

        // Operations: timer runs, the status view and its gauges, the daily table export.
        Lazy<TimerRuns> timerRuns = Lazy.of(() -> new TimerRuns(storage, clock));
        Lazy<OpsStatusReader> opsStatus = Lazy.of(() -> new OpsStatusReader(storage, shared.get().connections(), subscriptions.get(),
                shared.get().deadLetters(), timerRuns.get(), settings.stamp().region(), clock));
        // The app's OpenTelemetry: in Azure the Application Insights agent's, locally the devhost's SDK. The gauges report
        // nothing before their timer's first refresh, so registering them with it loses nothing.
        Lazy<OpsGauges> opsGauges = Lazy.of(() -> new OpsGauges(() -> opsStatus.get().read(), openTelemetry.getMeter(Telemetry.SCOPE),
                clock));
        Lazy<TableExport> tableExport = Lazy.of(() -> new TableExport(storage, StorageNames.TABLE_EXPORTS_CONTAINER,
                List.of(StorageNames.CONNECTIONS_TABLE, StorageNames.TOKEN_CACHES_TABLE), clock));

        functions = Map.ofEntries(
                entry(HealthFunction.class, () -> new HealthFunction(health.get())),
                entry(ConnectPageFunction.class, () -> new ConnectPageFunction(connect.get(), pages.get())),
                entry(ConnectStartFunction.class, () -> new ConnectStartFunction(connect.get(), pages.get())),
                entry(ConnectCallbackFunction.class, () -> new ConnectCallbackFunction(connect.get(), pages.get())),
                entry(AdminConsentFunction.class, () -> new AdminConsentFunction(adminConsent.get(), pages.get())),
                entry(GraphWebhookFunction.class, () -> new GraphWebhookFunction(intake.get(), metrics)),
                entry(GraphLifecycleFunction.class, () -> new GraphLifecycleFunction(intake.get())),
                entry(BccIngestFunction.class, () -> new BccIngestFunction(bccIngest.get())),
                entry(CrmEventDeliveryFunction.class, () -> new CrmEventDeliveryFunction(shared.get().events())),
                entry(DeadLettersFunction.class, () -> new DeadLettersFunction(shared.get().deadLetters())),
                entry(DeadLetterReplayFunction.class, () -> new DeadLetterReplayFunction(shared.get().events())),
                entry(MailChangesFunction.class, () -> new MailChangesFunction(inboundSync.get())),
                entry(InboundSweepFunction.class, () -> new InboundSweepFunction(inboundSync.get(), timerRuns.get())),
                entry(SubscriptionEventsFunction.class, () -> new SubscriptionEventsFunction(upkeep.get())),
                entry(SubscriptionRenewalFunction.class, () -> new SubscriptionRenewalFunction(upkeep.get(), timerRuns.get())),
                entry(SubscriptionRenewalJobFunction.class, () -> new SubscriptionRenewalJobFunction(upkeep.get())),
                entry(MailboxStatusFunction.class, () -> new MailboxStatusFunction(crmApi.get(), mailboxes.get())),
                entry(MailboxModeFunction.class, () -> new MailboxModeFunction(crmApi.get(), mailboxes.get())),
                entry(MailboxDisconnectFunction.class, () -> new MailboxDisconnectFunction(crmApi.get(), mailboxes.get())),
                entry(ProspectsFunction.class, () -> new ProspectsFunction(crmApi.get(), prospectUpdates.get())),
                entry(AccountProfileFunction.class, () -> new AccountProfileFunction(profiles.get())),
                entry(OtherMailboxesFunction.class, () -> new OtherMailboxesFunction(profiles.get())),
                entry(SendRequestFunction.class, () -> new SendRequestFunction(crmApi.get(), sendRequests.get())),
                entry(SendStatusFunction.class, () -> new SendStatusFunction(crmApi.get(), sendRequests.get())),
                entry(SendingStatusFunction.class, () -> new SendingStatusFunction(crmApi.get(), sendRequests.get())),
                entry(OutboundMailFunction.class, () -> new OutboundMailFunction(outboundSender.get())),
                entry(SentReconciliationTimerFunction.class, () -> new SentReconciliationTimerFunction(sentReconciliation.get(),
                        timerRuns.get())),
                entry(SentReconciliationFunction.class, () -> new SentReconciliationFunction(sentReconciliation.get())),
                entry(HousekeepingFunction.class, () -> new HousekeepingFunction(housekeeping.get(), timerRuns.get())),
                entry(TableExportFunction.class, () -> new TableExportFunction(tableExport.get(), timerRuns.get())),
                entry(OpsStatusFunction.class, () -> new OpsStatusFunction(opsStatus.get())),
                entry(OpsStatusPageFunction.class, () -> new OpsStatusPageFunction(opsStatus.get(), new OpsStatusPage(settings.brand()))),
                entry(OpsGaugesFunction.class, () -> new OpsGaugesFunction(opsGauges.get(), timerRuns.get())),
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

    /** The services every flow shares, as this app built them (building them, if no function has yet). */
    public Shared shared() {
        return shared.get();
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

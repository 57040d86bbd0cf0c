package io.mailbridge.storage;

import java.util.List;

/**
 * The tables, queues and blob containers the app uses. Queue names are constants so trigger annotations can name
 * them; Bicep creates the same set in Azure and {@link StorageProvisioning} creates it locally.
 */
public final class StorageNames {
    public static final String CONNECTIONS_TABLE = "connections";
    public static final String SIGN_IN_STATES_TABLE = "signinstates";
    public static final String ACCOUNTS_TABLE = "accounts";
    public static final String PROSPECTS_TABLE = "prospects";
    public static final String TOKEN_CACHES_TABLE = "tokencaches";
    public static final String DEAD_LETTERS_TABLE = "deadletters";
    public static final String SUBSCRIPTIONS_TABLE = "subscriptions";
    /** Pointers to the subscriptions by mailbox and by connection, so finding either's is not a scan (graph.Subscriptions). */
    public static final String SUBSCRIPTION_INDEX_TABLE = "subscriptionindex";
    public static final String BCC_ADDRESSES_TABLE = "bccaddresses";
    public static final String AUDIT_TABLE = "audit";
    public static final String DELIVERIES_TABLE = "deliveries";
    public static final String SYNC_STATES_TABLE = "syncstates";
    /** CRM sends, one partition per CRM account. */
    public static final String OUTBOX_TABLE = "outbox";
    /** Each Microsoft mailbox's sending quota, one partition per mailbox, shared by its connections in every CRM account. */
    public static final String SENDING_QUOTAS_TABLE = "sendingquotas";
    /** Each connection's Sent-folder reconciliation: the lease of its job and the status of its last run. */
    public static final String RECONCILIATIONS_TABLE = "reconciliations";
    /** Ids of connect links already used to start a sign-in, until the links expire. */
    public static final String USED_LINKS_TABLE = "usedlinks";
    /** Signatures of mutating CRM API requests already served, until their time window closes. */
    public static final String USED_SIGNATURES_TABLE = "usedsignatures";
    /** The last run of each timer function, for the ops view. */
    public static final String TIMER_RUNS_TABLE = "timerruns";

    public static final String CRM_EVENTS_QUEUE = "crm-events";
    public static final String MAIL_CHANGES_QUEUE = "mail-changes";
    public static final String SUBSCRIPTION_EVENTS_QUEUE = "subscription-events";
    public static final String OUTBOUND_MAIL_QUEUE = "outbound-mail";
    public static final String SENT_RECONCILIATION_QUEUE = "sent-reconciliation";
    /** One subscription upkeep per active connection, put by the renewal timer. */
    public static final String SUBSCRIPTION_RENEWAL_QUEUE = "subscription-renewal";

    /** Payloads too large for a queue message or a table entity (mail bodies, events with them). */
    public static final String PAYLOADS_CONTAINER = "payloads";
    /** Daily copies of the tables that are costly to lose (io.mailbridge.backup.TableExport). */
    public static final String TABLE_EXPORTS_CONTAINER = "table-exports";

    public static final List<String> TABLES = List.of(CONNECTIONS_TABLE, SIGN_IN_STATES_TABLE, ACCOUNTS_TABLE,
            PROSPECTS_TABLE, TOKEN_CACHES_TABLE, DEAD_LETTERS_TABLE, SUBSCRIPTIONS_TABLE, SUBSCRIPTION_INDEX_TABLE, BCC_ADDRESSES_TABLE, AUDIT_TABLE, DELIVERIES_TABLE, SYNC_STATES_TABLE,
            OUTBOX_TABLE, SENDING_QUOTAS_TABLE, RECONCILIATIONS_TABLE, USED_LINKS_TABLE, USED_SIGNATURES_TABLE,
            TIMER_RUNS_TABLE);
    public static final List<String> QUEUES = List.of(CRM_EVENTS_QUEUE, MAIL_CHANGES_QUEUE, SUBSCRIPTION_EVENTS_QUEUE,
            OUTBOUND_MAIL_QUEUE, SENT_RECONCILIATION_QUEUE, SUBSCRIPTION_RENEWAL_QUEUE);
    public static final List<String> CONTAINERS = List.of(PAYLOADS_CONTAINER, TABLE_EXPORTS_CONTAINER);

    /** Where the Functions host moves a queue's message after host.json's maxDequeueCount failed tries. */
    public static String poisonQueue(String queue) {
        return queue + "-poison";
    }

    private StorageNames() {}
}

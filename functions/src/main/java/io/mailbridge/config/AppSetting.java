package io.mailbridge.config;

/**
 * Every app setting the code reads, in one place: {@link Settings} reads them, and the build checks
 * that local.settings.sample.json, the README and the Bicep app settings list exactly these.
 */
public enum AppSetting {
    STORAGE_CONNECTION_STRING("AzureWebJobsStorage",
            "storage account connection string (Azurite locally); unset in Azure, where the managed identity is used"),
    STORAGE_TABLE_SERVICE_URI("AzureWebJobsStorage__tableServiceUri",
            "Table service URI for identity-based access, used when AzureWebJobsStorage is unset"),
    STORAGE_QUEUE_SERVICE_URI("AzureWebJobsStorage__queueServiceUri",
            "Queue service URI for identity-based access, used when AzureWebJobsStorage is unset"),
    STORAGE_BLOB_SERVICE_URI("AzureWebJobsStorage__blobServiceUri",
            "Blob service URI for identity-based access (large payloads), used when AzureWebJobsStorage is unset"),
    STAMP_REGION("MAILBRIDGE_STAMP_REGION",
            "the region this stamp serves and keeps data in: US, EU or AU"),
    PUBLIC_BASE_URL("MAILBRIDGE_PUBLIC_BASE_URL",
            "the stamp's public https base URL: sign-in redirect and Graph notification URLs are built from it"),
    RESTRICTED_PROFILE_ALLOWED("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED",
            "whether accounts may use the RESTRICTED profile here (true only in the US stamp)"),
    BCC_DOMAIN("MAILBRIDGE_BCC_DOMAIN",
            "the mail domain of the accounts' BCC addresses, served by the inbound mail gateway"),
    BCC_GATEWAY_SECRET("MAILBRIDGE_BCC_GATEWAY_SECRET",
            "secret the inbound mail gateway sends (X-Mailbridge-Gateway-Secret) with each mail it posts for a BCC address (32+ characters)"),
    BCC_MAX_MAIL_BYTES("MAILBRIDGE_BCC_MAX_MAIL_BYTES",
            "the largest raw mail in bytes that the BCC endpoint takes, 413 above it: 26214400 (25 MiB) as shipped"),
    CRM_ORIGINS("MAILBRIDGE_CRM_ORIGINS",
            "comma-separated CRM origins (scheme://host[:port]) that users may be sent back to"),
    CRM_SIGNING_SECRET("MAILBRIDGE_CRM_SIGNING_SECRET",
            "secret shared with the CRM (32+ characters): signs connect links, API requests and events"),
    CRM_EVENTS_URL("MAILBRIDGE_CRM_EVENTS_URL",
            "the CRM endpoint that receives the product's signed events"),
    ENTRA_AUTHORITY("MAILBRIDGE_ENTRA_AUTHORITY",
            "Microsoft identity platform authority, e.g. https://login.microsoftonline.com/organizations/"),
    ENTRA_CLIENT_ID("MAILBRIDGE_ENTRA_CLIENT_ID",
            "application (client) id of the product's Entra app registration"),
    ENTRA_CLIENT_SECRET("MAILBRIDGE_ENTRA_CLIENT_SECRET",
            "client secret of the Entra app registration"),
    ENTRA_INSTANCE_DISCOVERY("MAILBRIDGE_ENTRA_INSTANCE_DISCOVERY",
            "optional MSAL instance discovery metadata (JSON) for an authority Microsoft's discovery does not know; empty in Azure"),
    GRAPH_BASE_URL("MAILBRIDGE_GRAPH_BASE_URL",
            "Microsoft Graph v1.0 endpoint of this stamp's cloud, e.g. https://graph.microsoft.com/v1.0"),
    EXTRA_CA_CERTIFICATES("MAILBRIDGE_EXTRA_CA_CERTIFICATES",
            "optional path to a PEM file of extra trusted CAs for calls to Microsoft (the local sandbox's); empty in Azure"),
    TOKEN_ENCRYPTION_KEY("MAILBRIDGE_TOKEN_ENCRYPTION_KEY",
            "key that encrypts stored Microsoft tokens: <key id>:<base64 of 32 random bytes>"),
    SYNC_SWEEP_SCHEDULE("MAILBRIDGE_SYNC_SWEEP_SCHEDULE",
            "NCRONTAB schedule of the catch-up sweep over every 2-way mailbox, which heals dropped notifications"),
    SUBSCRIPTION_RENEWAL_SCHEDULE("MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE",
            "NCRONTAB schedule of the timer that queues a job per active connection to reconcile its subscriptions with Graph's list, renew them and recreate lost ones"),
    SENT_RECONCILIATION_SCHEDULE("MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE",
            "NCRONTAB schedule of the Sent-folder reconciliation: a job per mailbox writes CRM mail sent by the custom SMTP relay"
                    + " into Sent Items (FULL) and brings Sent Items to the CRM (2-way)"),
    HOUSEKEEPING_SCHEDULE("MAILBRIDGE_HOUSEKEEPING_SCHEDULE",
            "NCRONTAB schedule of the housekeeping that deletes expired sign-ins, used links and request signatures, and the mail"
                    + " content of Sent Items write-backs that will never happen (disconnected or RESTRICTED mailboxes)"),
    TOKEN_PREVIOUS_KEYS("MAILBRIDGE_TOKEN_PREVIOUS_KEYS",
            "optional comma-separated earlier token keys (<key id>:<base64>), still read during a key rotation"),
    SEND_RECIPIENTS_PER_DAY("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY",
            "recipients a mailbox sends to in a rolling 24 hours before CRM mail falls back to the custom SMTP relay (Exchange Online: 10000)"),
    SEND_MESSAGES_PER_MINUTE("MAILBRIDGE_SEND_MESSAGES_PER_MINUTE",
            "messages per minute the sender paces each mailbox to (Exchange Online: 30)"),
    SMTP_HOST("MAILBRIDGE_SMTP_HOST",
            "host name of the CRM's custom SMTP relay (STARTTLS required), used for RESTRICTED mailboxes and the quota fallback"),
    SMTP_PORT("MAILBRIDGE_SMTP_PORT",
            "submission port of the custom SMTP relay, usually 587"),
    SMTP_USERNAME("MAILBRIDGE_SMTP_USERNAME",
            "user name the app authenticates to the custom SMTP relay with"),
    SMTP_PASSWORD("MAILBRIDGE_SMTP_PASSWORD",
            "password the app authenticates to the custom SMTP relay with"),
    SMTP_ENVELOPE_SENDER("MAILBRIDGE_SMTP_ENVELOPE_SENDER",
            "envelope sender (MAIL FROM, where bounces go) of mail sent through the custom SMTP relay"),
    SMTP_EXTRA_CA_CERTIFICATES("MAILBRIDGE_SMTP_EXTRA_CA_CERTIFICATES",
            "optional path to a PEM file of extra CAs trusted for the SMTP relay's certificate (the local sandbox's); empty in Azure"),
    BRAND_NAME("MAILBRIDGE_BRAND_NAME",
            "optional product name shown at the top of the connect pages (the CRM's own name, for example); Mailbridge when empty"),
    BRAND_LOGO_URL("MAILBRIDGE_BRAND_LOGO_URL",
            "optional https URL of a logo shown beside the product name on the connect pages; none when empty");

    private final String key;
    private final String purpose;

    AppSetting(String key, String purpose) {
        this.key = key;
        this.purpose = purpose;
    }

    /** The name under which Azure (or local.settings.json) hands the value to the app. */
    public String key() {
        return key;
    }

    public String purpose() {
        return purpose;
    }
}

package io.mailbridge.config;

/**
 * Every app setting the code reads, in one place: {@link Settings} reads them, and the build checks
 * that local.settings.sample.json, the README and the Bicep app settings list exactly these.
 */
public enum AppSetting {
    STORAGE_CONNECTION_STRING("AzureWebJobsStorage",
            "storage account connection string (Azurite locally); leave unset in Azure to use the managed identity"),
    STORAGE_TABLE_SERVICE_URI("AzureWebJobsStorage__tableServiceUri",
            "Table service URI for identity-based access, used when AzureWebJobsStorage is unset"),
    STORAGE_QUEUE_SERVICE_URI("AzureWebJobsStorage__queueServiceUri",
            "Queue service URI for identity-based access, used when AzureWebJobsStorage is unset"),
    STAMP_REGION("MAILBRIDGE_STAMP_REGION",
            "the region this stamp serves and keeps data in: US, EU or AU");

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

package io.mailbridge.support;

import java.util.HashMap;
import java.util.Map;

/** A complete, valid set of app settings for tests; each test overrides what it is about. */
public final class TestSettings {
    /** 32 zero bytes, base64: a test key, never a real one. */
    public static final String TOKEN_KEY = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    public static final String CRM_SECRET = "test-crm-signing-secret-0123456789abcdef";
    public static final String BCC_GATEWAY_SECRET = "test-bcc-gateway-secret-0123456789abcdef";

    private TestSettings() {}

    public static Map<String, String> values() {
        Map<String, String> values = new HashMap<>();
        values.put("AzureWebJobsStorage", "UseDevelopmentStorage=true");
        values.put("MAILBRIDGE_STAMP_REGION", "US");
        values.put("MAILBRIDGE_PUBLIC_BASE_URL", "http://localhost:7071");
        values.put("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED", "true");
        values.put("MAILBRIDGE_BCC_DOMAIN", "bcc.mailbridge.test");
        values.put("MAILBRIDGE_BCC_GATEWAY_SECRET", BCC_GATEWAY_SECRET);
        values.put("MAILBRIDGE_BCC_MAX_MAIL_BYTES", "26214400");
        values.put("MAILBRIDGE_CRM_ORIGINS", "http://localhost:7080");
        values.put("MAILBRIDGE_CRM_SIGNING_SECRET", CRM_SECRET);
        values.put("MAILBRIDGE_CRM_EVENTS_URL", "http://localhost:7080/events");
        values.put("MAILBRIDGE_ENTRA_AUTHORITY", "https://127.0.0.1:8443/organizations/");
        values.put("MAILBRIDGE_ENTRA_CLIENT_ID", "00000000-0000-0000-0000-000000000001");
        values.put("MAILBRIDGE_ENTRA_CLIENT_SECRET", "test-client-secret");
        values.put("MAILBRIDGE_GRAPH_BASE_URL", "https://127.0.0.1:8443/v1.0");
        values.put("MAILBRIDGE_TOKEN_ENCRYPTION_KEY", TOKEN_KEY);
        values.put("MAILBRIDGE_SMTP_HOST", "127.0.0.1");
        values.put("MAILBRIDGE_SMTP_PORT", "2525");
        values.put("MAILBRIDGE_SMTP_USERNAME", "crm-relay@mailbridge.test");
        values.put("MAILBRIDGE_SMTP_PASSWORD", "test-relay-password");
        values.put("MAILBRIDGE_SMTP_ENVELOPE_SENDER", "bounces@mailbridge.test");
        values.put("MAILBRIDGE_SYNC_SWEEP_SCHEDULE", "0 */10 * * * *");
        values.put("MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE", "0 17 * * * *");
        values.put("MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE", "0 */10 * * * *");
        values.put("MAILBRIDGE_HOUSEKEEPING_SCHEDULE", "0 30 * * * *");
        return values;
    }

    public static Map<String, String> with(String key, String value) {
        Map<String, String> values = values();
        values.put(key, value);
        return values;
    }
}

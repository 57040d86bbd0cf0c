package io.mailbridge.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The app's settings, read once at start from the environment (that is how Azure hands app
 * settings to a function app, and how the local host hands over local.settings.json).
 */
public record Settings(StorageSettings storage, Stamp stamp, Crm crm, Microsoft microsoft, TokenKeys tokenKeys, Schedules schedules,
        Bcc bcc, SendingLimits sendingLimits, Smtp smtp, Brand brand) {

    /** How the connect pages name the product: a CRM shows its own name and logo. The logo is https only, allowed by the pages' CSP. */
    public record Brand(String name, Optional<URI> logoUrl) {
        public static final String DEFAULT_NAME = "Mailbridge";
    }

    /** What is particular to this regional deployment. */
    public record Stamp(Region region, URI publicBaseUrl, boolean restrictedProfileAllowed, String bccDomain) {}

    /** How the app and the CRM reach and trust each other. */
    public record Crm(List<URI> origins, byte[] signingSecret, URI eventsUrl) {
        @Override
        public byte[] signingSecret() {
            return signingSecret.clone();
        }

        @Override
        public String toString() {
            return "Crm[origins=" + origins + ", eventsUrl=" + eventsUrl + ", signing secret hidden]";
        }
    }

    /** The Entra app registration and the Microsoft cloud this stamp talks to. */
    public record Microsoft(URI authority, String clientId, String clientSecret, Optional<String> instanceDiscovery, URI graphBaseUrl,
            Optional<Path> extraCaCertificates) {
        @Override
        public String toString() {
            return "Microsoft[authority=" + authority + ", clientId=" + clientId + ", graphBaseUrl=" + graphBaseUrl
                    + ", extraCaCertificates=" + extraCaCertificates + ", client secret hidden]";
        }
    }

    /** The key that encrypts stored tokens now, and earlier ones still needed to read older ciphertexts. */
    public record TokenKeys(TokenKey current, List<TokenKey> previous) {}

    /**
     * Timer schedules. The Functions host reads them (the triggers name them as %SETTING%); the app
     * reads them too, so a malformed one fails at start with the setting's name instead of a silent timer.
     */
    public record Schedules(String syncSweep, String subscriptionRenewal, String sentReconciliation, String housekeeping) {}

    /** What the BCC endpoint trusts and takes from the inbound mail gateway. */
    public record Bcc(String gatewaySecret, long maxMailBytes) {
        @Override
        public String toString() {
            return "Bcc[maxMailBytes=" + maxMailBytes + ", gateway secret hidden]";
        }
    }

    /** What the sender counts each mailbox against: Exchange Online's sending limits, unless a stamp's cloud differs. */
    public record SendingLimits(int recipientsPerDay, int messagesPerMinute) {}

    /** The CRM's custom SMTP relay: RESTRICTED mailboxes always send through it, FULL ones once their quota is spent. */
    public record Smtp(String host, int port, String username, String password, String envelopeSender,
            Optional<Path> extraCaCertificates) {
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", username=" + username + ", envelopeSender=" + envelopeSender
                    + ", extraCaCertificates=" + extraCaCertificates + ", password hidden]";
        }
    }

    private static final int MIN_SECRET_LENGTH = 32;
    /** The Functions host refuses request bodies over 100 MB (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT); a larger limit would never apply. */
    private static final long MAX_REQUEST_BYTES = 104_857_600L;
    private static final String NCRONTAB = "an NCRONTAB schedule with six fields, e.g. 0 */10 * * * *";

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Fails with {@link InvalidSettingsException} naming every missing or malformed setting. */
    public static Settings from(Map<String, String> environment) {
        SettingsReader reader = new SettingsReader(environment);
        StorageSettings storage = StorageSettings.read(reader);
        Stamp stamp = new Stamp(
                reader.requiredEnum(AppSetting.STAMP_REGION, Region.class),
                reader.requiredHttpUri(AppSetting.PUBLIC_BASE_URL),
                reader.requiredBoolean(AppSetting.RESTRICTED_PROFILE_ALLOWED),
                reader.required(AppSetting.BCC_DOMAIN, "a mail domain such as bcc.example.com", Settings::domain));
        List<URI> crmOrigins = reader.required(AppSetting.CRM_ORIGINS, "comma-separated origins such as https://crm.example.com",
                Settings::origins);
        String crmSigningSecret = reader.required(AppSetting.CRM_SIGNING_SECRET, "a secret of at least " + MIN_SECRET_LENGTH
                + " characters", Settings::secretText);
        Crm crm = new Crm(crmOrigins, crmSigningSecret == null ? null : crmSigningSecret.getBytes(StandardCharsets.UTF_8),
                reader.requiredHttpUri(AppSetting.CRM_EVENTS_URL));
        Microsoft microsoft = new Microsoft(
                reader.requiredHttpUri(AppSetting.ENTRA_AUTHORITY),
                reader.required(AppSetting.ENTRA_CLIENT_ID, "the Entra application (client) id"),
                reader.required(AppSetting.ENTRA_CLIENT_SECRET, "the Entra app's client secret"),
                reader.optional(AppSetting.ENTRA_INSTANCE_DISCOVERY, "a JSON object", Settings::jsonObject),
                reader.requiredHttpUri(AppSetting.GRAPH_BASE_URL),
                reader.optional(AppSetting.EXTRA_CA_CERTIFICATES, "a path to a PEM file", Path::of));
        TokenKeys tokenKeys = new TokenKeys(
                reader.required(AppSetting.TOKEN_ENCRYPTION_KEY, "<key id>:<base64 of 32 random bytes>", TokenKey::parse),
                reader.optional(AppSetting.TOKEN_PREVIOUS_KEYS, "comma-separated <key id>:<base64 of 32 bytes>",
                        value -> Arrays.stream(value.split(",")).map(TokenKey::parse).toList()).orElse(List.of()));
        Schedules schedules = new Schedules(
                reader.required(AppSetting.SYNC_SWEEP_SCHEDULE, NCRONTAB, Settings::ncrontab),
                reader.required(AppSetting.SUBSCRIPTION_RENEWAL_SCHEDULE, NCRONTAB, Settings::ncrontab),
                reader.required(AppSetting.SENT_RECONCILIATION_SCHEDULE, NCRONTAB, Settings::ncrontab),
                reader.required(AppSetting.HOUSEKEEPING_SCHEDULE, NCRONTAB, Settings::ncrontab));
        String bccGatewaySecret = reader.required(AppSetting.BCC_GATEWAY_SECRET, "a secret of at least " + MIN_SECRET_LENGTH
                + " characters", Settings::secretText);
        Long maxMailBytes = reader.required(AppSetting.BCC_MAX_MAIL_BYTES, "a number of bytes from 1024 to " + MAX_REQUEST_BYTES,
                Settings::mailBytes);
        SendingLimits sendingLimits = new SendingLimits(
                reader.optional(AppSetting.SEND_RECIPIENTS_PER_DAY, "a whole number from 1 to 1000000", wholeNumber(1, 1_000_000))
                        .orElse(10_000),
                reader.optional(AppSetting.SEND_MESSAGES_PER_MINUTE, "a whole number from 1 to 10000", wholeNumber(1, 10_000))
                        .orElse(30));
        Smtp smtp = new Smtp(
                reader.required(AppSetting.SMTP_HOST, "the relay's host name"),
                reader.optional(AppSetting.SMTP_PORT, "a TCP port from 1 to 65535", wholeNumber(1, 65_535)).orElse(587),
                reader.required(AppSetting.SMTP_USERNAME, "the user name the relay expects"),
                reader.required(AppSetting.SMTP_PASSWORD, "the relay password"),
                reader.required(AppSetting.SMTP_ENVELOPE_SENDER, "a mail address such as bounces@crm.example.com", Settings::address),
                reader.optional(AppSetting.SMTP_EXTRA_CA_CERTIFICATES, "a path to a PEM file", Path::of));
        if (stamp.publicBaseUrl() != null && !StampSecrets.isLoopback(stamp.publicBaseUrl())) {
            // Graph calls only https notification URLs, and Entra redirects sign-ins to https only (loopback excepted).
            if (!"https".equalsIgnoreCase(stamp.publicBaseUrl().getScheme())) {
                reader.problem(AppSetting.PUBLIC_BASE_URL.key() + " is " + stamp.publicBaseUrl()
                        + ": outside loopback the app must be reached over https (Graph delivers webhooks only to https URLs)");
            }
            StampSecrets secrets = new StampSecrets(reader);
            secrets.text(AppSetting.CRM_SIGNING_SECRET, crmSigningSecret);
            secrets.text(AppSetting.BCC_GATEWAY_SECRET, bccGatewaySecret);
            secrets.text(AppSetting.ENTRA_CLIENT_SECRET, microsoft.clientSecret());
            secrets.text(AppSetting.SMTP_PASSWORD, smtp.password());
            secrets.key(AppSetting.TOKEN_ENCRYPTION_KEY, tokenKeys.current());
            tokenKeys.previous().forEach(key -> secrets.key(AppSetting.TOKEN_PREVIOUS_KEYS, key));
        }
        if (stamp.restrictedProfileAllowed() && stamp.region() != null && stamp.region() != Region.US) {
            reader.problem(AppSetting.RESTRICTED_PROFILE_ALLOWED.key() + " is true, but the RESTRICTED profile is not offered in the "
                    + stamp.region() + " stamp: expected false");
        }
        Brand brand = new Brand(
                reader.optional(AppSetting.BRAND_NAME, "a name of at most 60 characters", Settings::brandName).orElse(Brand.DEFAULT_NAME),
                reader.optional(AppSetting.BRAND_LOGO_URL, "an absolute https URL", Settings::httpsUri));
        reader.failIfInvalid();
        return new Settings(storage, stamp, crm, microsoft, tokenKeys, schedules, new Bcc(bccGatewaySecret, maxMailBytes), sendingLimits,
                smtp, brand);
    }

    private static String brandName(String value) {
        if (value.length() > 60) {
            throw new IllegalArgumentException("too long");
        }
        return value;
    }

    private static URI httpsUri(String value) {
        URI uri = SettingsReader.httpUri(value);
        if (!"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not https");
        }
        return uri;
    }

    private static Function<String, Integer> wholeNumber(int min, int max) {
        return value -> {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw new IllegalArgumentException("out of range");
            }
            return number;
        };
    }

    private static String address(String value) {
        if (!value.matches("[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@<>]+")) {
            throw new IllegalArgumentException("not a mail address");
        }
        return value;
    }

    private static String ncrontab(String value) {
        if (!value.matches("\\S+( \\S+){5}")) {
            throw new IllegalArgumentException("not six fields");
        }
        return value;
    }

    private static String jsonObject(String value) {
        if (!value.startsWith("{") || !value.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return value;
    }

    private static String domain(String value) {
        if (!value.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            throw new IllegalArgumentException("not a domain");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static List<URI> origins(String value) {
        List<URI> origins = Arrays.stream(value.split(",")).map(String::trim).filter(o -> !o.isEmpty())
                .map(SettingsReader::httpUri).toList();
        for (URI origin : origins) {
            if (!(origin.getPath() == null || origin.getPath().isEmpty()) || origin.getQuery() != null) {
                throw new IllegalArgumentException("an origin has no path");
            }
        }
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("no origin");
        }
        return origins;
    }

    private static String secretText(String value) {
        if (value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("too short");
        }
        return value;
    }

    private static Long mailBytes(String value) {
        long bytes = Long.parseLong(value);
        if (bytes < 1024 || bytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("out of range");
        }
        return bytes;
    }

}

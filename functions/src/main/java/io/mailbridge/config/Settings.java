package io.mailbridge.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, read once at start from the environment (that is how Azure hands app
 * settings to a function app, and how the local host hands over local.settings.json).
 */
public record Settings(StorageSettings storage, Stamp stamp, Crm crm, Microsoft microsoft, TokenKeys tokenKeys, Schedules schedules) {

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
    public record Schedules(String syncSweep, String subscriptionRenewal) {}

    private static final int MIN_SECRET_LENGTH = 32;
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
        Crm crm = new Crm(
                reader.required(AppSetting.CRM_ORIGINS, "comma-separated origins such as https://crm.example.com",
                        Settings::origins),
                reader.required(AppSetting.CRM_SIGNING_SECRET, "a secret of at least " + MIN_SECRET_LENGTH + " characters",
                        Settings::secret),
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
                reader.required(AppSetting.SUBSCRIPTION_RENEWAL_SCHEDULE, NCRONTAB, Settings::ncrontab));
        if (stamp.restrictedProfileAllowed() && stamp.region() != null && stamp.region() != Region.US) {
            reader.problem(AppSetting.RESTRICTED_PROFILE_ALLOWED.key() + " is true, but the RESTRICTED profile is not offered in the "
                    + stamp.region() + " stamp: expected false");
        }
        reader.failIfInvalid();
        return new Settings(storage, stamp, crm, microsoft, tokenKeys, schedules);
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

    private static byte[] secret(String value) {
        if (value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("too short");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import com.microsoft.aad.msal4j.RefreshTokenParameters;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Entra's documented token-endpoint errors (error, error_description with its AADSTS code, error_codes, trace_id,
 * correlation_id; learn.microsoft.com/entra/identity-platform/reference-error-codes), answered to the real MSAL4J
 * through its HTTP client hook, and classified from the exception MSAL makes of them.
 */
class IdentityFailureTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private static final String ENTRA_REQUEST_ID = "0000aaaa-11bb-cccc-dd22-eeeeee333333";

    @Test
    void anExpiredOrRevokedRefreshTokenMeansSigningInAgain() {
        assertInstanceOf(MicrosoftFailure.Reauthenticate.class, failureOf(400, Map.of(), entraError("invalid_grant", 700082,
                "The refresh token has expired due to inactivity. The token was issued on 2026-06-01T10:00:00Z and was inactive for 90.00:00:00.")));
        assertInstanceOf(MicrosoftFailure.Reauthenticate.class, failureOf(400, Map.of(), entraError("invalid_grant", 50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is needed.")));
    }

    @Test
    void multiFactorAuthenticationOrConsentNowRequiredMeansSigningInAgain() {
        assertInstanceOf(MicrosoftFailure.Reauthenticate.class, failureOf(400, Map.of(), entraError("interaction_required", 50076,
                "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.")));
        assertInstanceOf(MicrosoftFailure.Reauthenticate.class, failureOf(400, Map.of(), entraError("invalid_grant", 65001,
                "The user or administrator has not consented to use the application with ID '00001111-aaaa-2222-bbbb-3333cccc4444'.")));
    }

    @Test
    void entrasRetryCodesAndOutagesAreTransient() {
        MicrosoftFailure unavailable = failureOf(503, Map.of("Retry-After", "7"), entraError("temporarily_unavailable", 90033,
                "A transient error has occurred. Please try again."));

        assertEquals(Optional.of(Duration.ofSeconds(7)), assertInstanceOf(MicrosoftFailure.Transient.class, unavailable).retryAfter());
        assertInstanceOf(MicrosoftFailure.Transient.class, failureOf(500, Map.of(), entraError("server_error", 90006,
                "The service is temporarily unavailable.")));
        assertInstanceOf(MicrosoftFailure.Transient.class, failureOf(400, Map.of(), entraError("invalid_request", 90033,
                "The Microsoft Online Directory Service is not available.")), "an outage code decides whatever OAuth code it comes with");
    }

    @Test
    void anAnswerThatIsNotEntrasJsonIsAnOutageNotARefusal() {
        assertInstanceOf(MicrosoftFailure.Transient.class, failureOf(503, Map.of(), ""));
        assertInstanceOf(MicrosoftFailure.Transient.class, failureOf(502, Map.of("Content-Type", "text/html"), "<html>Bad gateway</html>"));
    }

    @Test
    void aTokenInAnAnswerMsalCouldNotParseNeverReachesTheFailure() {
        MicrosoftFailure failure = failureOf(200, Map.of("Content-Type", "application/json"),
                "{\"token_type\":\"Bearer\",\"access_token\":\"eyJ0eXAiOiJKV1Qi.secret-token-value\",");

        assertFalse(failure.summary().contains("secret-token-value"), failure.summary());
        assertFalse(new MicrosoftException(failure).getMessage().contains("eyJ0eXAi"));
    }

    @Test
    void entraThrottlingWaitsForItsRetryAfter() {
        MicrosoftFailure throttled = failureOf(429, Map.of("Retry-After", "1.5"), entraError("temporarily_unavailable", 50196,
                "The server terminated an operation because it encountered a client request loop."));

        assertEquals(Optional.of(Duration.ofMillis(1_500)), assertInstanceOf(MicrosoftFailure.Throttled.class, throttled).retryAfter());
    }

    @Test
    void theAppsOwnSetupIsRefusedNotTheUsersSignIn() {
        assertInstanceOf(MicrosoftFailure.Refused.class, failureOf(401, Map.of(), entraError("invalid_client", 7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")));
        assertInstanceOf(MicrosoftFailure.Refused.class, failureOf(400, Map.of(), entraError("unauthorized_client", 700016,
                "Application with identifier '00001111-aaaa-2222-bbbb-3333cccc4444' was not found in the directory 'contoso'.")));
    }

    @Test
    void detailsKeepTheAadstsCodeAndTheIdsSupportQuotesButNotEntrasTraceText() {
        MicrosoftFailure failure = failureOf(400, Map.of("x-ms-request-id", ENTRA_REQUEST_ID), entraError("invalid_grant", 700082,
                "The refresh token has expired due to inactivity."));

        MicrosoftFailure.Details details = failure.details();
        // MSAL does not pass the token endpoint's HTTP status on with an error it parsed: the OAuth code decides.
        assertEquals("invalid_grant", details.code());
        assertEquals("AADSTS700082", details.message());
        assertEquals(ENTRA_REQUEST_ID, details.requestId());
        assertEquals("aaaa0000-bb11-2222-33cc-444444dddddd", details.clientRequestId(), "the correlation id, sent as client-request-id");
        assertFalse(failure.summary().contains("Trace ID"));
        assertFalse(failure.summary().contains("refresh-token-value"));
    }

    @Test
    void entraNotAnsweringIsTransient() {
        MicrosoftFailure failure = classified(request -> {
            throw new ConnectException("Connection refused");
        });

        assertEquals("unreachable", assertInstanceOf(MicrosoftFailure.Transient.class, failure).details().code());
    }

    @Test
    void anInterruptedWaitIsTransient() {
        assertInstanceOf(MicrosoftFailure.Transient.class, MicrosoftFailure.interrupted());
        assertTrue(MicrosoftFailure.interrupted().retryAfter().isEmpty());
    }

    private static MicrosoftFailure failureOf(int status, Map<String, String> headers, String body) {
        return classified(request -> new Answer(status, headers.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, entry -> List.of(entry.getValue()))), body));
    }

    /** A refresh-token redemption, as MailboxTokens does it silently, against an Entra that answers through {@code entra}. */
    private static MicrosoftFailure classified(IHttpClient entra) {
        try {
            ConfidentialClientApplication application = ConfidentialClientApplication
                    .builder("00001111-aaaa-2222-bbbb-3333cccc4444", ClientCredentialFactory.createFromSecret("app-secret"))
                    .authority("https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee/")
                    .instanceDiscovery(false)
                    .httpClient(entra)
                    .build();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> application.acquireToken(
                    RefreshTokenParameters.builder(Set.of("https://graph.microsoft.com/Mail.Read"), "refresh-token-value").build()).get());
            return MicrosoftFailure.ofIdentity(failed.getCause(), CLOCK);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Entra's error JSON as its token endpoint sends it. */
    private static String entraError(String error, int aadsts, String description) {
        return "{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + aadsts + ": " + description.replace("\"", "\\\"")
                + "\\r\\nTrace ID: " + ENTRA_REQUEST_ID + "\\r\\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\\r\\nTimestamp: 2026-12-02 10:00:00Z\","
                + "\"error_codes\":[" + aadsts + "],\"timestamp\":\"2026-12-02 10:00:00Z\",\"trace_id\":\"" + ENTRA_REQUEST_ID + "\","
                + "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"error_uri\":\"https://login.microsoftonline.com/error?code=" + aadsts + "\"}";
    }

    private record Answer(int statusCode, Map<String, List<String>> headers, String body) implements IHttpResponse {}
}

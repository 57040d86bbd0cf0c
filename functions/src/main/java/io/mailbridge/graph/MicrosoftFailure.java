package io.mailbridge.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.odataerrors.MainError;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.mailbridge.http.Headers;
import io.mailbridge.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;

/**
 * What a failure of Graph or of the Microsoft identity platform means for the product. This is the one place that reads
 * Microsoft's status codes, error codes and Retry-After; callers decide what to do by the kind alone, in a {@code switch}
 * that names every kind (no default), so a new kind does not compile until each caller decides. Every failure classified from
 * Microsoft's answer is logged once, with Graph's request-id and client-request-id, for support to quote.
 */
public sealed interface MicrosoftFailure {
    Logger LOG = Logger.getLogger(MicrosoftFailure.class.getName());

    /** Microsoft's own account of the failure: never a token, nor a request body. */
    Details details();

    /** How long Microsoft asked us to wait (Retry-After), when it said. */
    default Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** The sign-in no longer works (Graph 401, invalid_grant, interaction_required): only the user connecting again helps. */
    record Reauthenticate(Details details) implements MicrosoftFailure {}

    /** Microsoft throttled us (429): wait {@code retryAfter} if given; no fault of the request. */
    record Throttled(Details details, Optional<Duration> retryAfter) implements MicrosoftFailure {}

    /** Microsoft could not answer now (5xx, an identity outage, the network, an interruption): try again later. */
    record Transient(Details details, Optional<Duration> retryAfter) implements MicrosoftFailure {}

    /** Exchange refused a send for the mailbox's spent sending quota; it frees after {@code retryAfter} if given. */
    record QuotaSpent(Details details, Optional<Duration> retryAfter) implements MicrosoftFailure {}

    /** Graph cannot serve this mailbox at all (unlicensed, inactive, on-premises): MailboxNotEnabledForRESTAPI and its kin. */
    record MailboxUnusable(Details details) implements MicrosoftFailure {}

    /** Graph denied the access (403: missing permission or consent, an access policy, conditional access). */
    record AccessDenied(Details details) implements MicrosoftFailure {}

    /** The item or resource does not exist (any more). */
    record NotFound(Details details) implements MicrosoftFailure {}

    /** The delta token is no longer known (410 syncStateNotFound, resyncRequired): sync again from a fresh start. */
    record ResyncRequired(Details details) implements MicrosoftFailure {}

    /** Microsoft refused the request for a reason retrying will not change. */
    record Refused(Details details) implements MicrosoftFailure {}

    /**
     * Microsoft's answer in short: HTTP status (0 when there was none), error code, its message (shortened), and the ids
     * support quotes: Graph's request-id (for Entra, x-ms-request-id) and the client-request-id we sent.
     */
    record Details(int status, String code, String message, String requestId, String clientRequestId) {
        static final int MESSAGE_LIMIT = 300;

        public Details {
            code = code == null || code.isBlank() ? (status == 0 ? "unknown" : "http_" + status) : code;
            message = shortened(message);
        }

        /** A failure the product found itself (no token stored, no account in the cache): nothing was asked of Microsoft. */
        public static Details local(String code, String message) {
            return new Details(0, code, message, null, null);
        }

        @Override
        public String toString() {
            return (status == 0 ? "" : status + " ") + code + (message.isEmpty() ? "" : ": " + message)
                    + (requestId == null ? "" : " (request-id " + requestId + ")")
                    + (clientRequestId == null ? "" : " (client-request-id " + clientRequestId + ")");
        }

        private static String shortened(String message) {
            if (message == null) {
                return "";
            }
            String line = message.strip().lines().findFirst().orElse("");
            return line.length() <= MESSAGE_LIMIT ? line : line.substring(0, MESSAGE_LIMIT) + "…";
        }
    }

    /** "Throttled: 429 ApplicationThrottled: … (request-id …)", for logs, status pages and exception messages. */
    default String summary() {
        return getClass().getSimpleName() + ": " + details();
    }

    /**
     * The item asked for does not exist (any more), which a delete or a clean-up takes as done. Every kind is named,
     * so a new kind is decided here too.
     */
    default boolean isNotFound() {
        return switch (this) {
            case Reauthenticate reauthenticate -> false;
            case Throttled throttled -> false;
            case Transient failed -> false;
            case QuotaSpent spent -> false;
            case MailboxUnusable unusable -> false;
            case AccessDenied denied -> false;
            case NotFound notFound -> true;
            case ResyncRequired resync -> false;
            case Refused refused -> false;
        };
    }

    // ---- Graph ----

    /** Graph's codes for a mailbox it cannot serve (KB 4462988; Graph answers them with 404). */
    Set<String> MAILBOX_UNUSABLE = Set.of("mailboxnotenabledforrestapi", "mailboxnotsupportedforrestapi");
    /** A delta token Graph no longer knows (410 Gone). */
    Set<String> RESYNC = Set.of("syncstatenotfound", "resyncrequired", "syncstateinvalid");
    /** Exchange's spent sending quota, as Graph reports it; Exchange's own words carry SubmissionQuotaExceeded. */
    Set<String> QUOTA = Set.of("errorquotaexceeded", "errorexceededmessagelimit", "errorsubmissionquotaexceeded");

    /** An error answer of a Graph SDK call, read at the system clock. */
    static MicrosoftFailure of(ApiException error) {
        return of(error, Clock.systemUTC());
    }

    static MicrosoftFailure of(ApiException error, Clock clock) {
        MainError main = error instanceof ODataError odata ? odata.getError() : null;
        Map<String, Set<String>> headers = error.getResponseHeaders() == null ? Map.of() : error.getResponseHeaders();
        Function<String, Optional<String>> header = name -> Headers.first(headers, name);
        String innerRequestId = main == null || main.getInnerError() == null ? null : main.getInnerError().getRequestId();
        String innerClientRequestId = main == null || main.getInnerError() == null ? null : main.getInnerError().getClientRequestId();
        return logged(graph(error.getResponseStatusCode(), main == null ? null : main.getCode(), main == null ? null : main.getMessage(),
                header, innerRequestId, innerClientRequestId, clock));
    }

    /**
     * A step of a JSON $batch that did not succeed, read from the step's own status, headers and body (a step carries
     * its Retry-After and Graph's error JSON like a single request). {@code status}: the step's, as the batch reported it.
     */
    static MicrosoftFailure ofBatchStep(BatchResponseContent responses, String step, int status, Clock clock) {
        Response response = responses.getResponseById(step);
        return ofBatchStep(status, response == null ? Map.of() : response.headers().toMultimap(),
                response == null ? null : responses.getResponseStreamById(step), clock);
    }

    private static MicrosoftFailure ofBatchStep(int status, Map<String, ? extends Collection<String>> headers, InputStream body,
            Clock clock) {
        JsonNode error = readError(body);
        JsonNode inner = error.path("innerError").isMissingNode() ? error.path("innererror") : error.path("innerError");
        return logged(graph(status, text(error.path("code")), text(error.path("message")), name -> Headers.first(headers, name),
                text(inner.path("request-id")), text(inner.path("client-request-id")), clock));
    }

    /**
     * A Graph SDK call that threw: Graph's answer, a network failure (the SDK wraps the IOException), or a failure already
     * classified (a token refresh inside the call); empty for anything else, which is a bug and stays an exception.
     */
    static Optional<MicrosoftFailure> ofGraphCall(RuntimeException e, Clock clock) {
        if (e instanceof MicrosoftException known) {
            return Optional.of(known.failure());
        }
        if (e instanceof ApiException api) {
            return Optional.of(of(api, clock));
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return Optional.of(unreachable(io));
            }
        }
        return Optional.empty();
    }

    private static MicrosoftFailure graph(int status, String code, String message, Function<String, Optional<String>> header,
            String innerRequestId, String innerClientRequestId, Clock clock) {
        Details details = new Details(status, code, message, header.apply("request-id").orElse(innerRequestId),
                header.apply("client-request-id").orElse(innerClientRequestId));
        String lower = details.code().toLowerCase(Locale.ROOT);
        Optional<Duration> retryAfter = header.apply("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, header.apply("Date").orElse(null), clock));
        if (MAILBOX_UNUSABLE.contains(lower)) {
            return new MailboxUnusable(details);
        }
        if (QUOTA.contains(lower) || details.message().contains("SubmissionQuotaExceeded")) {
            return new QuotaSpent(details, retryAfter);
        }
        if (RESYNC.contains(lower) || status == 410) {
            return new ResyncRequired(details);
        }
        if (status == 401) {
            return new Reauthenticate(details);
        }
        if (status == 403) {
            return new AccessDenied(details);
        }
        if (status == 404) {
            return new NotFound(details);
        }
        if (status == 429) {
            return new Throttled(details, retryAfter);
        }
        // 501 (not implemented) and 507 (storage quota reached) do not pass by waiting.
        if (status >= 500 && status != 501 && status != 507) {
            return new Transient(details, retryAfter);
        }
        return new Refused(details);
    }

    // ---- the Microsoft identity platform (MSAL) ----

    /**
     * OAuth error codes meaning the stored sign-in is spent (refresh token expired or revoked, MFA or consent now needed).
     * Entra's reference says apps must act on these codes, not on the AADSTS numbers, which change over time.
     */
    Set<String> SIGN_IN_AGAIN = Set.of("invalid_grant", "interaction_required", "login_required", "consent_required");
    /** OAuth codes Entra documents as "retry the request". */
    Set<String> RETRY = Set.of("temporarily_unavailable", "server_error");
    /** MSAL's codes for an answer that is not Entra's error JSON (an empty body, a gateway's page); MSAL reports no status with them. */
    Set<String> NOT_ENTRAS_ANSWER = Set.of("unknown", "invalid_json");
    /** AADSTS codes of Entra outages, which may come under other OAuth codes: 90006 (retryable external error), 90033 (directory unavailable). */
    Set<String> OUTAGE_AADSTS = Set.of("AADSTS90006", "AADSTS90033");

    /** A failure MSAL reported (or threw through its futures). */
    static MicrosoftFailure ofIdentity(Throwable failure) {
        return ofIdentity(failure, Clock.systemUTC());
    }

    static MicrosoftFailure ofIdentity(Throwable failure, Clock clock) {
        if (!(failure instanceof MsalServiceException service)) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException io) {
                    return unreachable(io);
                }
            }
            return logged(new Transient(new Details(0, failure instanceof MsalException msal ? msal.errorCode()
                    : "unreachable", "Microsoft's identity platform could not be asked: " + failure.getClass().getSimpleName(), null, null),
                    Optional.empty()));
        }
        Map<String, List<String>> headers = service.headers() == null ? Map.of() : service.headers();
        int status = service.statusCode() == null ? 0 : service.statusCode();
        String aadsts = aadsts(service.getMessage());
        // Only Entra's AADSTS code is kept of the message: MSAL's own texts may quote what it failed to parse, tokens included.
        Details details = new Details(status, service.errorCode(), aadsts == null ? "" : aadsts,
                Headers.first(headers, "x-ms-request-id").orElse(null), service.correlationId());
        Optional<Duration> retryAfter = Headers.first(headers, "Retry-After")
                .flatMap(value -> RetryAfter.parse(value, Headers.first(headers, "Date").orElse(null), clock));
        MicrosoftFailure classified;
        if (status == 429) {
            classified = new Throttled(details, retryAfter);
        } else if (status >= 500 || RETRY.contains(details.code()) || (aadsts != null && OUTAGE_AADSTS.contains(aadsts))
                || NOT_ENTRAS_ANSWER.contains(details.code())) {
            classified = new Transient(details, retryAfter);
        } else if (failure instanceof MsalInteractionRequiredException || SIGN_IN_AGAIN.contains(details.code())) {
            classified = new Reauthenticate(details);
        } else {
            // invalid_client (the app's secret), unauthorized_client, invalid_request, invalid_scope: the product's setup.
            classified = new Refused(details);
        }
        return logged(classified);
    }

    // ---- no answer ----

    /** Microsoft could not be reached, or the exchange broke off (connection reset, timeout, an upload left unfinished). */
    static MicrosoftFailure unreachable(Exception e) {
        return logged(new Transient(new Details(0, "unreachable", "Microsoft could not be reached: " + e.getClass().getSimpleName(), null,
                null), Optional.empty()));
    }

    /** The wait for Microsoft was interrupted (the host is stopping): the work is simply tried again. */
    static MicrosoftFailure interrupted() {
        return new Transient(Details.local("interrupted", "Interrupted while waiting for Microsoft"), Optional.empty());
    }

    private static MicrosoftFailure logged(MicrosoftFailure failure) {
        LOG.warning(() -> "Microsoft failure, " + failure.summary());
        return failure;
    }

    private static String aadsts(String message) {
        if (message == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("AADSTS\\d+").matcher(message);
        return matcher.find() ? matcher.group() : null;
    }

    private static JsonNode readError(InputStream body) {
        if (body == null) {
            return Json.MAPPER.missingNode();
        }
        try (body) {
            return Json.MAPPER.readTree(body).path("error");
        } catch (IOException | RuntimeException e) {
            // Not Graph's error JSON (a gateway's HTML page): the status alone decides.
            return Json.MAPPER.missingNode();
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}

package io.mailbridge.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Turns Graph's error responses into the product's three kinds of Microsoft failure. */
public final class GraphErrors {
    private GraphErrors() {}

    public static MicrosoftException translate(ApiException error) {
        int status = error.getResponseStatusCode();
        String code = error instanceof ODataError odata && odata.getError() != null && odata.getError().getCode() != null
                ? odata.getError().getCode() : "http_" + status;
        if (status == 401) {
            return new ReauthenticationRequiredException(code, "Graph refused the access token (" + code + ")");
        }
        if (status == 429 || status >= 500) {
            return new MicrosoftUnavailableException(code, "Graph answered " + status + " (" + code + ")", retryAfter(error));
        }
        return new MicrosoftRefusedException(code, "Graph refused the request: " + status + " " + code);
    }

    /** Retry-After, as Graph sends it with 429 and 503 (seconds, perhaps with a fraction, or a date). */
    private static Duration retryAfter(ApiException error) {
        Set<String> values = error.getResponseHeaders() == null ? null : error.getResponseHeaders().get("Retry-After");
        if (values != null) {
            Set<String> dates = error.getResponseHeaders().get("Date");
            String date = dates == null || dates.isEmpty() ? null : dates.iterator().next();
            for (String value : values) {
                Optional<Duration> after = RetryAfter.parse(value, date, Clock.systemUTC());
                if (after.isPresent()) {
                    return after.get();
                }
            }
        }
        return null;
    }
}

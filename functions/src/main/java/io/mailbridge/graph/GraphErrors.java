package io.mailbridge.graph;

import com.microsoft.graph.models.odataerrors.ODataError;

/** Turns Graph's error responses into the product's three kinds of Microsoft failure. */
final class GraphErrors {
    private GraphErrors() {}

    static MicrosoftException translate(ODataError error) {
        int status = error.getResponseStatusCode();
        String code = error.getError() != null && error.getError().getCode() != null ? error.getError().getCode() : "http_" + status;
        if (status == 401) {
            return new ReauthenticationRequiredException(code, "Graph refused the access token (" + code + ")");
        }
        if (status == 429 || status >= 500) {
            return new MicrosoftUnavailableException(code, "Graph answered " + status + " (" + code + ")");
        }
        return new MicrosoftRefusedException(code, "Graph refused the request: " + status + " " + code);
    }
}

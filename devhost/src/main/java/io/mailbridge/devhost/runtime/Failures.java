package io.mailbridge.devhost.runtime;

import com.azure.core.exception.HttpResponseException;

/**
 * Describes a storage or network failure for a log line or a start-up problem by its kind and
 * status only: exception messages can quote requests, and requests can carry credentials.
 */
public final class Failures {
    private Failures() {}

    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException http && http.getResponse() != null) {
                return t.getClass().getSimpleName() + " (HTTP " + http.getResponse().getStatusCode() + ")";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}

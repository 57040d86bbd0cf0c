package io.mailbridge.http;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details: every error a program reads says what went wrong and, for input, which field. */
public final class Problems {
    private Problems() {}

    public static HttpResponseMessage of(HttpRequestMessage<?> request, HttpStatus status, String title, String detail) {
        return of(request, status, title, detail, null);
    }

    public static HttpResponseMessage of(HttpRequestMessage<?> request, HttpStatus status, String title, String detail, String field) {
        return builder(request, status, title, detail, field).build();
    }

    /** A 503 that tells the caller when to try again. */
    public static HttpResponseMessage tryLater(HttpRequestMessage<?> request, java.time.Duration after, String title, String detail) {
        return builder(request, HttpStatus.SERVICE_UNAVAILABLE, title, detail, null)
                .header("Retry-After", Long.toString(Math.max(1, after.toSeconds()))).build();
    }

    private static HttpResponseMessage.Builder builder(HttpRequestMessage<?> request, HttpStatus status, String title, String detail,
            String field) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        if (field != null) {
            problem.put("field", field);
        }
        return request.createResponseBuilder(status)
                .header("Content-Type", "application/problem+json; charset=utf-8")
                .header("Cache-Control", "no-store")
                .body(Json.write(problem));
    }
}

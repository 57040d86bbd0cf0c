package io.mailbridge.testkit.http;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The request an HTTP-triggered function receives, as the host passes it to the Java worker: header names lower-cased,
 * query parameters decoded from the URI, the body of the function's declared type (read when first asked for, in the
 * devhost). The devhost serves functions with it; tests call function classes with it directly.
 */
public final class FunctionHttpRequest<T> implements HttpRequestMessage<T> {
    private final URI uri;
    private final HttpMethod method;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final Supplier<T> body;

    /** @param headers one value per name; names that differ only in case are joined with ", ", as repeated headers are */
    public FunctionHttpRequest(URI uri, HttpMethod method, Map<String, String> headers, Supplier<T> body) {
        this.uri = uri;
        this.method = method;
        Map<String, String> lowerCased = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowerCased.merge(name.toLowerCase(Locale.ROOT), value, (first, second) -> first + ", " + second));
        this.headers = Map.copyOf(lowerCased);
        this.query = PercentDecoding.query(uri.getRawQuery());
        this.body = body;
    }

    /** A request whose body is already at hand: {@code Optional<String>}, {@code Optional<byte[]>}, ... as the function declares it. */
    public static <T> FunctionHttpRequest<T> of(URI uri, HttpMethod method, Map<String, String> headers, T body) {
        return new FunctionHttpRequest<>(uri, method, headers, () -> body);
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public T getBody() {
        return body.get();
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new FunctionHttpResponse.Builder(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new FunctionHttpResponse.Builder(status);
    }
}

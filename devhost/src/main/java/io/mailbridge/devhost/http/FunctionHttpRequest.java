package io.mailbridge.devhost.http;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The request a function receives: header names lower-cased and query parameters decoded, as the
 * host passes them to the Java worker; the body of the function's declared type, read when first asked for.
 */
record FunctionHttpRequest<T>(URI uri, HttpMethod method, Map<String, String> headers, Map<String, String> query, Supplier<T> body)
        implements HttpRequestMessage<T> {

    FunctionHttpRequest {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
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

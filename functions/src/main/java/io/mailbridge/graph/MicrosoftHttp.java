package io.mailbridge.graph;

import com.microsoft.aad.msal4j.HttpMethod;
import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import io.mailbridge.Lazy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The instance's one HTTPS connection pool to Microsoft, shared by the Graph SDK ({@link GraphClients}) and
 * MSAL4J's token requests ({@link MicrosoftIdentity}, as its {@link IHttpClient}): a token refresh and the
 * Graph calls after it reuse warm TLS connections instead of each opening its own. Built on the first request,
 * with its trust: OkHttp and the TLS context are not a cold start's business.
 */
public final class MicrosoftHttp implements IHttpClient {
    private final Lazy<OkHttpClient> client;

    public MicrosoftHttp(TrustMaterial trust) {
        this.client = Lazy.of(() -> new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager()).build());
    }

    /** The builder with this instance's pool, dispatcher and trust, keeping its own interceptors and timeouts. */
    OkHttpClient.Builder pooled(OkHttpClient.Builder builder) {
        OkHttpClient shared = client.get();
        return builder.connectionPool(shared.connectionPool()).dispatcher(shared.dispatcher())
                .sslSocketFactory(shared.sslSocketFactory(), shared.x509TrustManager());
    }

    /** One identity-platform request of MSAL's (discovery, token), sent on the shared pool. */
    @Override
    public IHttpResponse send(HttpRequest request) throws IOException {
        Request.Builder call = new Request.Builder().url(request.url());
        if (request.headers() != null) {
            request.headers().forEach(call::header);
        }
        if (request.httpMethod() == HttpMethod.GET) {
            call.get();
        } else {
            // MSAL names the form's content type among the headers.
            byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
            call.method(request.httpMethod().name(), RequestBody.create(body, null));
        }
        try (Response response = client.get().newCall(call.build()).execute()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().names().forEach(name -> headers.put(name, response.headers(name)));
            ResponseBody body = response.body();
            HttpResponse answer = new HttpResponse().statusCode(response.code()).body(body == null ? "" : body.string());
            answer.addHeaders(headers);
            return answer;
        }
    }
}

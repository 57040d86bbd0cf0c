package io.mailbridge.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.mailbridge.Lazy;
import io.mailbridge.telemetry.Telemetry;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import java.io.IOException;
import java.util.Locale;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Graph SDK clients for this stamp's Graph endpoint, on the instance's one connection pool to Microsoft ({@link MicrosoftHttp}). */
public final class GraphClients {
    private final URI baseUrl;
    private final Lazy<OkHttpClient> http;

    public GraphClients(URI baseUrl, MicrosoftHttp microsoftHttp, Telemetry telemetry, Clock clock) {
        this.baseUrl = baseUrl;
        // Built with the first client: the Graph SDK's middleware is not a cold start's business.
        this.http = Lazy.of(() -> {
            // No retries inside a request: a throttled call is rescheduled through the queue with Retry-After
            // instead, so a function never sleeps through Graph's back-off holding a worker.
            RetryHandlerOption noRetries = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
            return microsoftHttp.pooled(GraphClientFactory.create(new RequestOption[] {noRetries})
                    .addInterceptor(GraphClients::withoutForeignErrorPage)
                    // At the network: a request sent again (a fresh token after a 401) counts as the second request it is.
                    .addNetworkInterceptor(new GraphRequestTelemetry(telemetry, clock))).build();
        });
    }

    /**
     * A gateway's error page (HTML) in place of Graph's JSON makes the SDK fail on the content type and lose the status;
     * without the page, the SDK reports the status, and {@link MicrosoftFailure} classifies it.
     */
    private static Response withoutForeignErrorPage(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        String type = response.header("Content-Type", "");
        if (response.isSuccessful() || response.body() == null || type.isEmpty() || type.toLowerCase(Locale.ROOT).contains("json")) {
            return response;
        }
        response.close();
        return response.newBuilder().removeHeader("Content-Type").body(ResponseBody.create(new byte[0], null)).build();
    }

    /** A client that authenticates each request with a token from {@code accessToken}. */
    public GraphServiceClient withToken(Supplier<String> accessToken) {
        return client(accessToken, http.get());
    }

    /**
     * Like {@link #withToken}, but when Graph answers 401 to a token that was still valid by the clock
     * (revoked, or the clocks disagree), the request is sent once more with {@code freshToken}.
     */
    public GraphServiceClient withRefreshableToken(Supplier<String> accessToken, Supplier<String> freshToken) {
        OkHttpClient refreshing = http.get().newBuilder().addInterceptor(chain -> {
            Request request = chain.request();
            Response response = chain.proceed(request);
            if (response.code() != 401 || request.header("Authorization") == null) {
                return response;
            }
            response.close();
            return chain.proceed(request.newBuilder().header("Authorization", "Bearer " + freshToken.get()).build());
        }).build();
        return client(accessToken, refreshing);
    }

    private GraphServiceClient client(Supplier<String> accessToken, OkHttpClient httpClient) {
        AllowedHostsValidator hosts = new AllowedHostsValidator(baseUrl.getHost());
        AccessTokenProvider provider = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return hosts.isUrlHostValid(uri) ? accessToken.get() : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(provider), httpClient);
        client.getRequestAdapter().setBaseUrl(baseUrl.toString());
        return client;
    }
}

package io.mailbridge.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/** Graph SDK clients for this stamp's Graph endpoint, sharing one HTTP connection pool. */
public final class GraphClients {
    private final URI baseUrl;
    private final OkHttpClient http;

    public GraphClients(URI baseUrl, TrustMaterial trust) {
        this.baseUrl = baseUrl;
        this.http = GraphClientFactory.create().sslSocketFactory(trust.socketFactory(), trust.trustManager()).build();
    }

    /** A client that authenticates each request with a token from {@code accessToken}. */
    public GraphServiceClient withToken(Supplier<String> accessToken) {
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
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(provider), http);
        client.getRequestAdapter().setBaseUrl(baseUrl.toString());
        return client;
    }
}

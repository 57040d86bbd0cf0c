package io.mailbridge.http;

import java.net.URI;
import okhttp3.HttpUrl;

/** Addresses of the app's own HTTP functions as Microsoft and browsers reach them, under the stamp's public base URL. */
public final class PublicUrls {
    private PublicUrls() {}

    /** {@code route} as the host serves it: under {@code api/}, below whatever path the base URL has. */
    public static URI route(URI publicBaseUrl, String route) {
        return HttpUrl.get(publicBaseUrl.toString()).newBuilder().addPathSegment("api").addPathSegments(route).build().uri();
    }
}

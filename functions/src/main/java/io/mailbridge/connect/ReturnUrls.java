package io.mailbridge.connect;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Where users may be sent back to: only pages of the configured CRM origins (no open redirect). */
public final class ReturnUrls {
    private final List<URI> origins;

    public ReturnUrls(List<URI> origins) {
        this.origins = List.copyOf(origins);
    }

    public boolean isAllowed(URI url) {
        if (url == null || !url.isAbsolute() || url.getRawUserInfo() != null || url.getHost() == null) {
            return false;
        }
        return origins.stream().anyMatch(origin -> sameOrigin(origin, url));
    }

    private static boolean sameOrigin(URI origin, URI url) {
        return origin.getScheme().equalsIgnoreCase(url.getScheme())
                && origin.getHost().toLowerCase(Locale.ROOT).equals(url.getHost().toLowerCase(Locale.ROOT))
                && port(origin) == port(url);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

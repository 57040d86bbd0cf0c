package io.mailbridge.e2e.support;

import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A browser's cookie jar, as far as the connect flow needs one: host-only cookies by host, path and
 * expiry honoured, Secure cookies sent over https only.
 */
final class BrowserCookies extends CookieHandler {
    private final Map<String, Map<String, HttpCookie>> byHost = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        boolean secureContext = "https".equalsIgnoreCase(uri.getScheme());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String cookies = byHost.getOrDefault(host(uri), Map.of()).values().stream()
                .filter(c -> !c.hasExpired())
                .filter(c -> secureContext || !c.getSecure())
                .filter(c -> path.startsWith(c.getPath() == null ? "/" : c.getPath()))
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return cookies.isEmpty() ? Map.of() : Map.of("Cookie", List.of(cookies));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        responseHeaders.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                values.forEach(value -> HttpCookie.parse(value).forEach(cookie -> store(uri, cookie)));
            }
        });
    }

    private void store(URI uri, HttpCookie cookie) {
        Map<String, HttpCookie> jar = byHost.computeIfAbsent(host(uri), h -> new ConcurrentHashMap<>());
        if (cookie.getMaxAge() == 0) {
            jar.remove(cookie.getName());
        } else {
            jar.put(cookie.getName(), cookie);
        }
    }

    private static String host(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT);
    }
}
